#!/usr/bin/env python3
"""The counter screen in a real headless Chromium (Selenium), against `boxoffice serve` on 127.0.0.1.

    scripts/counter_screen.py --bin .build/debug/boxoffice --work DIR --artifacts DIR

Run by scripts/counter_screen.sh (a phase of `make test`), which installs Chromium, its driver and
Selenium first. Two stores, each a fresh `boxoffice demo`:

1. online: the demo cashier logs in, opens a showtime, taps two seats, sells them for cash, sees the
   receipt and the seats sold on the map; a seat sold meanwhile by another process (`boxoffice sell`
   on the same store file) turns sold without a reload; the map is used from the keyboard; the sale
   is found by its code and cancelled (refunded), its seats free again.
2. offline: `serve --sync` pointed at a head office nobody listens on: the indicator says offline,
   and selling goes on.
3. conflict (with the test PostgreSQL of `make test`, $BOXOFFICE_TEST_POSTGRES_URL): head office and
   two counters made with the CLI sell one seat offline; the later sale is reseated, and the cashier
   gives it another seat from the screen's conflicts list.

Screenshots at 1024x768 and 390x844 go to the artifacts folder; axe-core (axe-selenium-python)
checks the login, the seat map, the receipt and the phone-sized map for critical or serious
violations. Every wait is bounded; the whole run is bounded by the caller's `timeout`.
"""
import argparse
import base64
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
import zoneinfo

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

EMAIL = "cashier@demo.example"
PASSWORD = "demo-pass-123"  # the demo store's own, printed by `boxoffice demo`
WAIT = 20                   # seconds, the longest any one step may take


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Server:
    """`boxoffice serve` on a store, on a free port of 127.0.0.1."""

    def __init__(self, binary, store, log, extra=(), env=None):
        environment = dict(os.environ, BOXOFFICE_SMTP_URL="", **(env or {}))
        environment = {name: value for name, value in environment.items() if value is not None}
        self.log = open(log, "w")
        self.process = subprocess.Popen([binary, "serve", "--db", store, "--host", "127.0.0.1", "--port", "0", *extra],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True, env=environment)
        deadline = time.monotonic() + WAIT
        line = ""
        while time.monotonic() < deadline and not line.startswith("listening on "):
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                break
        check(line.startswith("listening on http://127.0.0.1:"), f"boxoffice serve did not start (see {log})")
        self.url = line.split(" ", 2)[2].strip()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def demo_store(binary, path):
    subprocess.run([binary, "demo", "--db", path], check=True, stdout=subprocess.DEVNULL, timeout=120)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1024,768", "--lang=en-US", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def viewport(driver, width, height, mobile=False):
    """The page's viewport exactly, as a 1024x768 counter screen or a 390x844 phone shows it."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    wait(driver, lambda d: d.execute_script("return window.innerWidth") == width, f"a {width}x{height} viewport")


def wait(driver, condition, what, timeout=WAIT):
    try:
        # The page redraws what it shows as answers come: an element read mid-redraw is read again.
        return WebDriverWait(driver, timeout, poll_frequency=0.2,
                             ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)
    except Exception as error:  # a timeout: name what never happened
        raise Failure(f"waited {timeout} s for {what}: {type(error).__name__}") from None


def visible(driver, element_id):
    return wait(driver, lambda d: d.find_element(By.ID, element_id).is_displayed() and d.find_element(By.ID, element_id),
                f"#{element_id} to show")


def shot(driver, artifacts, name):
    path = os.path.join(artifacts, name + ".png")
    driver.save_screenshot(path)
    print(f"counter_screen: screenshot {path}")


def accessibility(driver, artifacts, view):
    """axe-core on the page as it stands: no critical or serious violation."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    axe.write_results(results, os.path.join(artifacts, f"axe-{view}.json"))
    bad = [v for v in results["violations"] if v.get("impact") in ("critical", "serious")]
    details = "; ".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in bad)
    check(not bad, f"axe finds critical or serious violations on the {view} view: {details}")
    print(f"counter_screen: axe on the {view} view: {len(results['violations'])} minor or moderate, none critical or serious")


def log_in(driver, url):
    driver.get(url + "/")
    visible(driver, "login")
    driver.find_element(By.ID, "login-email").send_keys(EMAIL)
    driver.find_element(By.ID, "login-password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    visible(driver, "counter")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#showtime-list li"), "today's showtimes (or that there are none)")


def open_tomorrows_first_showtime(driver):
    """Tomorrow's first showtime: the demo schedules a week, so it is still to start at any hour."""
    before = driver.find_element(By.ID, "date").get_attribute("value")
    driver.find_element(By.ID, "day-next").click()
    date = wait(driver, lambda d: (v := d.find_element(By.ID, "date").get_attribute("value")) != before and v, "the next day")
    buttons = wait(driver, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, ".showtime")
                                      if b.get_attribute("data-date") == date and "seats free" in b.text],
                   "the next day's showtimes with their free seats")
    button = buttons[0]
    showtime = button.get_attribute("data-id")
    button.click()
    # The map's own seats: the legend's samples are seats too, and are there before any map is.
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#map .seat[data-label]"), "the seat map")
    check(driver.find_element(By.CSS_SELECTOR, f'.showtime[data-id="{showtime}"]').get_attribute("aria-current") == "true",
          "the open showtime is not marked current")
    return showtime


def free_regular_seats(driver, row):
    return [b.get_attribute("data-label") for b in
            driver.find_elements(By.CSS_SELECTOR, '#map .seat[data-state="free"][data-kind="regular"]')
            if re.fullmatch(row + r"\d+", b.get_attribute("data-label"))]


def seat(driver, label):
    return driver.find_element(By.CSS_SELECTOR, f'#map .seat[data-label="{label}"]')


def sell_two_for_cash(driver, row):
    labels = free_regular_seats(driver, row)[2:4]
    check(len(labels) == 2, f"row {row} has no two free regular seats")
    for label in labels:
        seat(driver, label).click()
        wait(driver, lambda d, l=label: seat(d, l).get_attribute("aria-pressed") == "true", f"{label} to be selected")
    total = driver.find_element(By.ID, "total").text
    check(total != "Rp 0", f"the total does not show the seats' price: {total}")
    Select(driver.find_element(By.ID, "method")).select_by_value("cash")
    driver.find_element(By.ID, "sell").click()
    visible(driver, "receipt")
    text = wait(driver, lambda d: d.find_element(By.ID, "receipt-text").text, "the receipt's text")
    for label in labels:
        check(label in text, f"the receipt does not name {label}:\n{text}")
    code = re.search(r"[A-Z0-9]{6}-\d{4}", text)
    check(code, f"the receipt has no booking code:\n{text}")
    return labels, code.group(0), total


def print_receipt(driver, artifacts, labels):
    """The print stylesheet: only the receipt, its 42-character lines within an 80 mm roll's 72 mm."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.execute_script("""
            const on = (id) => document.getElementById(id).checkVisibility();
            const text = document.getElementById("receipt-text");
            const line = document.createElement("span");
            line.textContent = "x".repeat(42);
            text.append(line);
            const width = line.getBoundingClientRect().width;
            line.remove();
            return {receipt: on("receipt-text"), actions: on("receipt-print"), bar: document.querySelector(".bar").checkVisibility(), width};
        """)
        check(shown["receipt"] and not shown["actions"] and not shown["bar"], f"the print stylesheet shows more than the receipt: {shown}")
        millimetres = shown["width"] * 25.4 / 96
        check(millimetres <= 72, f"a 42-character receipt line prints {millimetres:.1f} mm wide: more than an 80 mm roll's 72 mm")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 80 / 25.4, "paperHeight": 200 / 25.4, "printBackground": False,
                                                     "preferCSSPageSize": True})
    path = os.path.join(artifacts, "receipt-80mm.pdf")
    with open(path, "wb") as file:
        file.write(base64.b64decode(pdf["data"]))
    print(f"counter_screen: the receipt prints alone, 42 characters in {millimetres:.1f} mm; {path}")


def back_to_map(driver, labels):
    driver.find_element(By.ID, "receipt-back").click()
    visible(driver, "counter")
    for label in labels:
        wait(driver, lambda d, l=label: seat(d, l).get_attribute("data-state") == "sold", f"{label} to show sold on the map")
        check(seat(driver, label).text.strip().endswith("XX"), f"{label} is sold but not marked XX")


def online(binary, work, artifacts, driver):
    store = os.path.join(work, "online.sqlite")
    demo_store(binary, store)
    server = Server(binary, store, os.path.join(artifacts, "serve-online.log"))
    try:
        viewport(driver, 1024, 768)
        driver.get(server.url + "/")
        visible(driver, "login")
        accessibility(driver, artifacts, "login")
        shot(driver, artifacts, "login-1024x768")
        log_in(driver, server.url)
        showtime = open_tomorrows_first_showtime(driver)

        labels, code, total = sell_two_for_cash(driver, "C")
        print(f"counter_screen: sold {', '.join(labels)} for cash ({total}), booking {code}")
        shot(driver, artifacts, "receipt-1024x768")
        accessibility(driver, artifacts, "receipt")
        print_receipt(driver, artifacts, labels)
        back_to_map(driver, labels)
        driver.execute_script("document.getElementById('seating').scrollIntoView()")
        shot(driver, artifacts, "map-1024x768")
        accessibility(driver, artifacts, "seat-map")

        # Another process sells a seat of the open showtime on the same store file: the open map
        # shows it sold by itself (its poll), and the page is the same page (no reload).
        driver.execute_script("window.counterScreenNoReload = 'still here'")
        other = free_regular_seats(driver, "D")[0]
        subprocess.run([binary, "login", "--db", store, "--email", EMAIL, "--password-stdin"], input=PASSWORD + "\n",
                       check=True, text=True, stdout=subprocess.DEVNULL, timeout=60)
        subprocess.run([binary, "sell", showtime, other, "--db", store, "--method", "cash"], check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        wait(driver, lambda d: seat(d, other).get_attribute("data-state") == "sold",
             f"{other}, sold by `boxoffice sell`, to turn sold on the open map")
        check(driver.execute_script("return window.counterScreenNoReload") == "still here", "the page was reloaded")
        print(f"counter_screen: {other}, sold by another process, turned sold without a reload")

        # The keyboard: the map is one tab stop; arrows move, Space picks.
        first = driver.find_element(By.CSS_SELECTOR, '#map .seat[tabindex="0"]')
        first.send_keys(Keys.ARROW_RIGHT)
        focused = driver.switch_to.active_element
        check(focused.get_attribute("data-label") != first.get_attribute("data-label"), "ArrowRight did not move to the next seat")
        label = focused.get_attribute("data-label")
        if focused.get_attribute("data-state") == "free":
            focused.send_keys(Keys.SPACE)
            wait(driver, lambda d: seat(d, label).get_attribute("aria-pressed") == "true", f"Space to select {label}")
            driver.find_element(By.ID, "clear").click()
        print("counter_screen: the seat map works from the keyboard")

        # The phone: the same map and sale form, nothing wider than the screen but the map's own scroll.
        viewport(driver, 390, 844, mobile=True)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 390, f"the page is {width} px wide on a 390 px phone")
        driver.execute_script("window.scrollTo(0, 0)")
        shot(driver, artifacts, "showtimes-390x844")
        driver.execute_script("document.getElementById('seating').scrollIntoView()")
        shot(driver, artifacts, "map-390x844")
        accessibility(driver, artifacts, "seat-map-phone")
        viewport(driver, 1024, 768)

        # Cancel and refund by the booking code: its seats are free again.
        driver.find_element(By.ID, "lookup-code").send_keys(code)
        driver.find_element(By.ID, "lookup-submit").click()
        wait(driver, lambda d: code + ": paid" in d.find_element(By.ID, "lookup-result").text, f"booking {code} found, paid")
        next(b for b in driver.find_elements(By.CSS_SELECTOR, "#lookup-result button") if b.text == "Cancel / refund").click()
        wait(driver, lambda d: code + ": refunded" in d.find_element(By.ID, "lookup-result").text, f"booking {code} refunded")
        for label in labels:
            wait(driver, lambda d, l=label: seat(d, l).get_attribute("data-state") == "free", f"{label} free again after the refund")
        print(f"counter_screen: booking {code} cancelled and refunded by its code, its seats free again")
    finally:
        server.stop()


def dead_port():
    """A port of 127.0.0.1 that nothing listens on: head office out of reach."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def offline(binary, work, artifacts, driver):
    store = os.path.join(work, "offline.sqlite")
    demo_store(binary, store)
    central = f"postgresql://braga-1@127.0.0.1:{dead_port()}/boxoffice?connect_timeout=2"
    server = Server(binary, store, os.path.join(artifacts, "serve-offline.log"), extra=("--sync", "--sync-interval", "1s"),
                    env={"BOXOFFICE_CENTRAL_URL": central})
    try:
        viewport(driver, 1024, 768)
        log_in(driver, server.url)
        wait(driver, lambda d: "offline" in d.find_element(By.ID, "sync-state").text, "the sync indicator to say offline")
        open_tomorrows_first_showtime(driver)
        labels, code, _ = sell_two_for_cash(driver, "E")
        print(f"counter_screen: head office unreachable, sold {', '.join(labels)} anyway, booking {code}")
        back_to_map(driver, labels)
        check("offline" in driver.find_element(By.ID, "sync-state").text, "the indicator no longer says offline")
        wait(driver, lambda d: re.search(r"[1-9]\d* changes? waiting", d.find_element(By.ID, "sync-details").text),
             "the sale's changes to wait for head office")
        driver.execute_script("window.scrollTo(0, 0)")
        shot(driver, artifacts, "offline-1024x768")
        accessibility(driver, artifacts, "offline")
    finally:
        server.stop()


def boxoffice(binary, *arguments, stdin=None):
    """A CLI command that must succeed; its standard output."""
    done = subprocess.run([binary, *arguments], input=stdin, capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "BOXOFFICE_CENTRAL_URL"})
    check(done.returncode == 0, f"boxoffice {' '.join(arguments[:2])} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def conflict(binary, work, artifacts, driver):
    admin = os.environ.get("BOXOFFICE_TEST_POSTGRES_URL")
    if not admin:
        check(os.environ.get("BOXOFFICE_REQUIRE_TEST_SERVERS") != "1", "no $BOXOFFICE_TEST_POSTGRES_URL for the conflict scenario")
        print("counter_screen: no $BOXOFFICE_TEST_POSTGRES_URL: the conflict scenario is skipped")
        return
    name = "counter_screen_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", admin, "-q", "-c", f"CREATE DATABASE {name}"], check=True, timeout=60)
    central = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path="/" + name))
    hq_password = "manager-pass-123"
    boxoffice(binary, "central", "init", "--url", central)
    boxoffice(binary, "central", "staff", "add", "--url", central, "--email", "manager@hq.example", "--name", "Head Office",
              "--role", "manager", "--password-stdin", stdin=hq_password + "\n")
    boxoffice(binary, "central", "staff", "add", "--url", central, "--email", EMAIL, "--name", "Demo Cashier",
              "--role", "cashier", "--password-stdin", stdin=PASSWORD + "\n")

    def node(store, node_name, *scope):
        url = json.loads(boxoffice(binary, "central", "add-node", node_name, *scope, "--url", central, "--json"))["url"]
        boxoffice(binary, "init", "--db", store)
        boxoffice(binary, "sync", "--db", store, "--central", "-", stdin=url + "\n")

    hq = os.path.join(work, "hq.sqlite")
    node(hq, "hq", "--all")
    boxoffice(binary, "login", "--db", hq, "--email", "manager@hq.example", "--password-stdin", stdin=hq_password + "\n")
    cinema = json.loads(boxoffice(binary, "cinemas", "add", "--db", hq, "--json", "--name", "Cinema Braga", "--city", "Bandung",
                                  "--time-zone", "Asia/Jakarta"))["id"]
    boxoffice(binary, "studios", "add", "--db", hq, "--cinema", cinema, "--name", "Studio 1", "--layout", "rows A-B; seats 1-4")
    boxoffice(binary, "movies", "add", "--db", hq, "--title", "Laskar Pelangi", "--duration", "120")
    tomorrow = (datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")) + datetime.timedelta(days=1)).date().isoformat()
    showtime = json.loads(boxoffice(binary, "showtimes", "add", "--db", hq, "--json", "--cinema", cinema, "--studio", "Studio 1",
                                    "--movie", "Laskar Pelangi", "--date", tomorrow, "--time", "19:30", "--price", "50000"))["id"]
    boxoffice(binary, "sync", "--db", hq)
    counters = []
    for counter in ("one", "two"):
        store = os.path.join(work, counter + ".sqlite")
        node(store, counter, "--cinema", cinema)
        boxoffice(binary, "login", "--db", store, "--email", EMAIL, "--password-stdin", stdin=PASSWORD + "\n")
        boxoffice(binary, "sell", showtime, "A1", "--db", store, "--method", "cash")
        counters.append(store)
    for store in counters:
        boxoffice(binary, "sync", "--db", store)
    listed = json.loads(boxoffice(binary, "conflicts", "--db", counters[1], "--json"))
    check([c["kind"] for c in listed["items"]] == ["reseated"], f"the later sale is not reseated: {listed}")
    moved_to = listed["items"][0]["seat_after"]

    server = Server(binary, counters[1], os.path.join(artifacts, "serve-conflict.log"), env={"BOXOFFICE_CENTRAL_URL": None})
    try:
        viewport(driver, 1024, 768)
        log_in(driver, server.url)
        wait(driver, lambda d: d.find_element(By.ID, "conflicts-toggle").text == "Conflicts (1)", "one open conflict in the indicator")
        driver.find_element(By.ID, "conflicts-toggle").click()
        entry = wait(driver, lambda d: [li for li in d.find_elements(By.CSS_SELECTOR, "#conflicts-list li") if "reseated" in li.text],
                     "the reseated sale in the conflicts list")[0]
        check("A1 → " + moved_to in entry.text, f"the conflict does not say where the sale went: {entry.text}")
        driver.execute_script("window.scrollTo(0, 0)")
        shot(driver, artifacts, "conflicts-1024x768")
        accessibility(driver, artifacts, "conflicts")
        entry.find_element(By.CSS_SELECTOR, "input").send_keys("B4")
        next(b for b in entry.find_elements(By.TAG_NAME, "button") if b.text == "Give this seat").click()
        wait(driver, lambda d: d.find_element(By.ID, "conflicts-list").text == "No open conflicts.", "the conflict resolved")
        wait(driver, lambda d: d.find_element(By.ID, "conflicts-toggle").text == "Conflicts (0)", "no open conflict in the indicator")
        open_tomorrows_first_showtime(driver)
        wait(driver, lambda d: seat(d, "B4").get_attribute("data-state") == "sold" and seat(d, moved_to).get_attribute("data-state") == "free",
             f"the sale on B4, {moved_to} free again")
        print(f"counter_screen: a sale head office reseated to {moved_to} was given B4 from the conflicts list")
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    driver = browser()
    try:
        for scenario in (online, offline, conflict):
            try:
                scenario(args.bin, args.work, args.artifacts, driver)
            except Exception:
                shot(driver, args.artifacts, f"failed-{scenario.__name__}")
                raise
    except Failure as failure:
        print(f"counter_screen: FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        driver.quit()
    print("counter_screen: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
