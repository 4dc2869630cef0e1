// The counter screen: a client of /v1 like any other. Every decision — who may sell, which seats
// are free, prices, totals, couple pairs, state moves, refunds — is the kit's answer; this file only
// shows those answers and sends what the cashier picked (docs/counter-screen.md).
"use strict";

const MAP_POLL_MS = 2000;       // another counter's sale shows within this, with no reload
const LIST_POLL_MS = 15000;
const SYNC_POLL_MS = 3000;
const MARKS = { held: "HH", sold: "XX", blocked: "##", allotted: "AA" };   // the CLI's marks
const KIND_MARKS = { vip: "V", wheelchair: "W", couple: "C", regular: "" };
const KIND_WORDS = { vip: "VIP", wheelchair: "wheelchair", couple: "couple", regular: "" };
const STATE_WORDS = { free: "free", held: "held", sold: "sold", blocked: "blocked", allotted: "another counter's" };

const state = {
  user: null,
  cinema: null,          // {id, name, time_zone}
  showtimes: [],
  showtime: null,        // the open showtime
  seats: new Map(),      // label → seat of the open map
  picked: new Set(),     // labels
  customer: null,        // a customer account found by search
  focusLabel: null,
  timers: [],
};

// Every /v1 route the page calls, as schemas/openapi.yaml names it (CounterScreenTests checks each).
const ROUTES = {
  sessions: "/v1/sessions",
  cinemas: "/v1/cinemas",
  cinema: "/v1/cinemas/{cinema}",
  showtimes: "/v1/cinemas/{cinema}/showtimes",
  seats: "/v1/showtimes/{showtime}/seats",
  paymentMethods: "/v1/payment-methods",
  customers: "/v1/customers",
  sales: "/v1/sales",
  bookings: "/v1/bookings",
  booking: "/v1/bookings/{code}",
  receipt: "/v1/bookings/{code}/receipt",
  payment: "/v1/bookings/{code}/payment",
  cancel: "/v1/bookings/{code}/cancel",
  refund: "/v1/bookings/{code}/refund",
  conflicts: "/v1/conflicts",
  resolution: "/v1/conflicts/{id}/resolution",
  syncStatus: "/v1/sync/status",
};

// A route's path with its parameters filled in and its query added.
function route(name, parameters, query) {
  let path = ROUTES[name].replace(/\{([a-z]+)\}/g, (_, key) => encodeURIComponent(parameters[key]));
  if (query) path += "?" + new URLSearchParams(query).toString();
  return path;
}

const $ = (id) => document.getElementById(id);
const rupiah = (n) => "Rp " + new Intl.NumberFormat("id-ID").format(n);

class APIFailure extends Error {
  constructor(status, body) {
    const fields = (body && body.errors ? body.errors : []).map((e) => e.message).join("; ");
    super(fields || (body && body.message) || ("the server answered " + status));
    this.status = status;
  }
}

async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new APIFailure(0, { message: "this counter's server does not answer: is `boxoffice serve` running?" });
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== ROUTES.sessions) showLogin("Your session ended: log in again.");
    throw new APIFailure(response.status, json);
  }
  return json;
}

function show(id, visible) { $(id).hidden = !visible; }

function say(id, text) { $(id).textContent = text || ""; }

// ---- Login ----------------------------------------------------------------------------------

function showLogin(message) {
  stopTimers();
  state.user = null;
  sessionStorage.removeItem("boxoffice.user");
  show("login", true); show("counter", false); show("receipt", false); show("who", false); show("sync", false);
  say("login-error", message);
  $("login-email").focus();
}

async function login(event) {
  event.preventDefault();
  say("login-error", "");
  try {
    const answer = await api("POST", ROUTES.sessions, { email: $("login-email").value, password: $("login-password").value });
    $("login-password").value = "";
    if (answer.user.role === "customer") {
      await api("DELETE", ROUTES.sessions);
      say("login-error", "This screen is for staff: customers book on the booking page.");
      return;
    }
    sessionStorage.setItem("boxoffice.user", JSON.stringify(answer.user));
    await start(answer.user);
  } catch (error) {
    say("login-error", error.message);
  }
}

async function logout() {
  try { await api("DELETE", ROUTES.sessions); } catch (error) { /* logged out either way */ }
  showLogin("Logged out.");
}

// ---- The counter ----------------------------------------------------------------------------

async function start(user) {
  state.user = user;
  say("who-name", user.name + " (" + user.role + ")");
  show("login", false); show("who", true); show("sync", true); show("counter", true); show("receipt", false);
  const [cinemas, methods] = await Promise.all([api("GET", route("cinemas", {}, { limit: 200 })), api("GET", ROUTES.paymentMethods)]);
  const select = $("cinema");
  select.replaceChildren(...cinemas.items.map((c) => new Option(c.name + " — " + c.city, c.id)));
  const remembered = localStorage.getItem("boxoffice.cinema");
  const own = cinemas.items.find((c) => c.id === user.cinema_id) ||
              cinemas.items.find((c) => c.id === remembered) || cinemas.items[0];
  show("cinema-field", !user.cinema_id && cinemas.items.length > 1);
  $("method").replaceChildren(...methods.items.map((m) => new Option(m.name, m.code)));
  if (!own) { say("seating-info", "This store has no cinema yet."); return; }
  select.value = own.id;
  chooseCinema(own);
  startTimers();
}

function chooseCinema(cinema) {
  state.cinema = cinema;
  localStorage.setItem("boxoffice.cinema", cinema.id);
  $("date").value = todayIn(cinema.time_zone);
  closeMap();
  loadShowtimes();
}

// The cinema's local date, for the date picker only: the server says which showtimes are that day.
function todayIn(zone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

function shiftDate(days) {
  const [y, m, d] = $("date").value.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + days));
  $("date").value = next.toISOString().slice(0, 10);
  loadShowtimes();
}

async function loadShowtimes() {
  if (!state.cinema || !$("date").value) return;
  const date = $("date").value;
  try {
    const list = await api("GET", route("showtimes", { cinema: state.cinema.id }, { date }));
    if ($("date").value !== date) return;   // the cashier moved on meanwhile
    state.showtimes = list.items;
    const maps = await Promise.all(list.items.map((s) => api("GET", route("seats", { showtime: s.id })).catch(() => null)));
    if ($("date").value !== date) return;
    renderShowtimes(list.items, maps);
  } catch (error) {
    $("showtime-list").replaceChildren(item(error.message, "error"));
  }
}

function item(text, className) {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  return li;
}

function renderShowtimes(showtimes, maps) {
  const list = $("showtime-list");
  if (showtimes.length === 0) { list.replaceChildren(item("No showtimes on this day.")); return; }
  list.replaceChildren(...showtimes.map((s, i) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "showtime";
    button.dataset.id = s.id;
    button.dataset.handle = s.handle;
    button.dataset.date = s.local_starts_at.slice(0, 10);
    const map = maps[i];
    const free = map ? map.seats.filter((seat) => seat.state === "free").length : null;
    const time = document.createElement("span");
    time.className = "time";
    time.textContent = s.local_starts_at.slice(11, 16) + " " + s.studio_name;
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = s.movie_title;
    const counts = document.createElement("span");
    counts.className = "free";
    counts.textContent = s.status === "cancelled" ? "cancelled"
      : free === null ? "" : free + " of " + map.seats.length + " seats free";
    button.title = s.movie_title;
    button.append(time, title, counts);
    if (state.showtime && state.showtime.id === s.id) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => openShowtime(s));
    li.append(button);
    return li;
  }));
}

// ---- The seat map ---------------------------------------------------------------------------

async function openShowtime(showtime) {
  state.showtime = showtime;
  state.picked.clear();
  state.seats.clear();
  state.focusLabel = null;
  for (const b of document.querySelectorAll(".showtime")) {
    if (b.dataset.id === showtime.id) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
  }
  say("seating-title", showtime.movie_title + " — " + showtime.studio_name + ", " + showtime.local_starts_at.slice(0, 10)
      + " " + showtime.local_starts_at.slice(11, 16) + " (" + showtime.handle + ")");
  say("map-news", ""); say("sale-error", "");
  await refreshMap(true);
}

function closeMap() {
  state.showtime = null;
  state.seats.clear();
  state.picked.clear();
  say("seating-title", "Pick a showtime");
  say("seating-info", "");
  show("map-scroll", false); show("legend", false); show("sale", false);
}

async function refreshMap(first) {
  const showtime = state.showtime;
  if (!showtime) return;
  let map;
  try {
    map = await api("GET", route("seats", { showtime: showtime.id }));
  } catch (error) {
    say("map-news", error.message);
    return;
  }
  if (state.showtime !== showtime) return;
  const lost = [];
  for (const seat of map.seats) {
    const before = state.seats.get(seat.label);
    if (before && before.state !== seat.state && state.picked.has(seat.label) && seat.state !== "free") lost.push(seat.label);
  }
  for (const label of lost) state.picked.delete(label);
  const changed = first || map.seats.length !== state.seats.size ||
    map.seats.some((seat) => { const b = state.seats.get(seat.label); return !b || b.state !== seat.state || b.price !== seat.price; });
  state.seats = new Map(map.seats.map((seat) => [seat.label, seat]));
  const info = [];
  if (map.showtime.status === "cancelled") info.push("This showtime is cancelled.");
  if (map.showtime.price_needed) info.push("Not on sale: its price is not set.");
  info.push(map.seats.filter((s) => s.state === "free").length + " of " + map.seats.length + " seats free.");
  say("seating-info", info.join(" "));
  if (lost.length) say("map-news", "Taken meanwhile at another counter: " + lost.join(", ") + " (removed from the selection).");
  if (changed) drawMap(map.seats);
  show("map-scroll", true); show("legend", true); show("sale", true);
  updateSelection();
}

function drawMap(seats) {
  const grid = $("map");
  const focused = document.activeElement && document.activeElement.classList.contains("seat") ? document.activeElement.dataset.label : null;
  const maxColumn = Math.max(0, ...seats.map((s) => s.grid_column));
  const used = new Set(seats.map((s) => s.grid_column));
  // Columns with no seat in any row are aisles: narrower, as the CLI leaves them blank.
  const columns = ["1.8rem"];
  for (let c = 0; c <= maxColumn; c++) columns.push(used.has(c) ? "38px" : "14px");
  columns.push("1.8rem");
  grid.style.gridTemplateColumns = columns.join(" ");
  const cells = [];
  const rows = new Map();
  for (const seat of seats) { if (!rows.has(seat.grid_row)) rows.set(seat.grid_row, seat.row_label); }
  for (const [row, label] of rows) {
    for (const side of [1, maxColumn + 3]) {
      const cell = document.createElement("span");
      cell.className = "row-label";
      cell.setAttribute("aria-hidden", "true");
      cell.textContent = label;
      cell.style.gridRow = String(row + 1);
      cell.style.gridColumn = String(side);
      cells.push(cell);
    }
  }
  const byLabel = new Map(seats.map((s) => [s.label, s]));
  for (const seat of seats) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "seat";
    button.dataset.label = seat.label;
    button.dataset.state = seat.state;
    button.dataset.kind = seat.kind;
    button.style.gridRow = String(seat.grid_row + 1);
    button.style.gridColumn = String(seat.grid_column + 2);
    if (seat.paired_with && byLabel.has(seat.paired_with)) {
      button.classList.add(byLabel.get(seat.paired_with).grid_column > seat.grid_column ? "pair-left" : "pair-right");
    }
    const picked = state.picked.has(seat.label);
    button.setAttribute("aria-pressed", String(picked));
    const kind = KIND_MARKS[seat.kind];
    const mark = seat.state === "free" ? (picked ? "✓" : "") + seat.number : MARKS[seat.state];
    if (kind) { const k = document.createElement("span"); k.className = "kind"; k.textContent = kind; button.append(k); }
    button.append(document.createTextNode(mark));
    const words = [seat.label, KIND_WORDS[seat.kind], STATE_WORDS[seat.state]];
    if (seat.state === "free") words.push(rupiah(seat.price));
    if (seat.paired_with) words.push("sold with " + seat.paired_with);
    button.setAttribute("aria-label", words.filter(Boolean).join(", "));
    button.tabIndex = -1;
    if (seat.state !== "free") button.setAttribute("aria-disabled", "true");
    button.addEventListener("click", () => toggleSeat(seat.label));
    cells.push(button);
  }
  grid.replaceChildren(...cells);
  const target = focused || state.focusLabel || (seats.find((s) => s.state === "free") || seats[0] || {}).label;
  const targetButton = target && grid.querySelector('[data-label="' + CSS.escape(target) + '"]');
  if (targetButton) {
    targetButton.tabIndex = 0;
    if (focused) targetButton.focus();
  }
}

function toggleSeat(label) {
  const seat = state.seats.get(label);
  state.focusLabel = label;
  if (!seat) return;
  if (seat.state !== "free") {
    say("map-news", seat.label + " is " + STATE_WORDS[seat.state] + ": pick a free seat.");
    return;
  }
  // A couple seat's pair is the kit's (paired_with): both halves go together, as the kit sells them.
  const labels = [label];
  if (seat.paired_with) labels.push(seat.paired_with);
  const on = !state.picked.has(label);
  for (const l of labels) { if (on) state.picked.add(l); else state.picked.delete(l); }
  say("map-news", (on ? "Selected " : "Removed ") + labels.join(" and ") + ".");
  drawMap([...state.seats.values()]);
  const button = $("map").querySelector('[data-label="' + CSS.escape(label) + '"]');
  if (button) { for (const b of $("map").querySelectorAll(".seat")) b.tabIndex = -1; button.tabIndex = 0; button.focus(); }
  updateSelection();
}

// Arrow keys move between seats (one tab stop for the whole map); Enter or Space picks.
function mapKeys(event) {
  const current = event.target.closest(".seat");
  if (!current) return;
  const seat = state.seats.get(current.dataset.label);
  const all = [...state.seats.values()];
  let next = null;
  const near = (a, b) => Math.abs(a.grid_column - seat.grid_column) - Math.abs(b.grid_column - seat.grid_column);
  if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
    const sign = event.key === "ArrowRight" ? 1 : -1;
    next = all.filter((s) => s.grid_row === seat.grid_row && (s.grid_column - seat.grid_column) * sign > 0)
      .sort((a, b) => (a.grid_column - b.grid_column) * sign)[0];
  } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
    const sign = event.key === "ArrowDown" ? 1 : -1;
    const rows = [...new Set(all.map((s) => s.grid_row))].filter((r) => (r - seat.grid_row) * sign > 0).sort((a, b) => (a - b) * sign);
    if (rows.length) next = all.filter((s) => s.grid_row === rows[0]).sort(near)[0];
  } else {
    return;
  }
  event.preventDefault();
  if (!next) return;
  const button = $("map").querySelector('[data-label="' + CSS.escape(next.label) + '"]');
  current.tabIndex = -1;
  button.tabIndex = 0;
  state.focusLabel = next.label;
  button.focus();
}

function updateSelection() {
  const labels = [...state.picked];
  // The sum of the prices the kit gave each seat, shown before the sale; the sale's own total is the kit's.
  const total = labels.reduce((sum, l) => sum + (state.seats.get(l) ? state.seats.get(l).price : 0), 0);
  say("selection", labels.length ? "Seats: " + labels.join(", ") : "No seats selected.");
  say("total", rupiah(total));
  $("sell").disabled = labels.length === 0;
  $("hold").disabled = labels.length === 0;
}

function clearSelection() {
  state.picked.clear();
  drawMap([...state.seats.values()]);
  updateSelection();
  say("map-news", "Selection cleared.");
}

// ---- Customers ------------------------------------------------------------------------------

async function searchCustomers() {
  const results = $("customer-results");
  say("sale-error", "");
  try {
    const found = await api("GET", route("customers", {}, { q: $("customer-query").value }));
    if (found.items.length === 0) { results.replaceChildren(item("No customer found.")); return; }
    results.replaceChildren(...found.items.map((user) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("aria-pressed", String(state.customer && state.customer.id === user.id));
      button.textContent = user.name + " · " + user.email + (user.phone ? " · " + user.phone : "");
      button.addEventListener("click", () => chooseCustomer(user));
      li.append(button);
      return li;
    }));
    if (found.total > found.items.length) results.append(item("…and " + (found.total - found.items.length) + " more: type more of the name."));
  } catch (error) {
    results.replaceChildren();
    say("sale-error", error.message);
  }
}

function chooseCustomer(user) {
  state.customer = state.customer && state.customer.id === user.id ? null : user;
  for (const b of $("customer-results").querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(!!state.customer && b.textContent.startsWith(state.customer.name + " · " + state.customer.email)));
  }
  say("customer-chosen", state.customer ? "For " + state.customer.name + " (" + state.customer.email + ")." : "Walk-in customer.");
}

// ---- Selling --------------------------------------------------------------------------------

async function sell(event) {
  event.preventDefault();
  if (!state.showtime || state.picked.size === 0) return;
  say("sale-error", "");
  const body = { showtime_id: state.showtime.id, seats: [...state.picked], method: $("method").value };
  const reference = $("reference").value.trim();
  if (reference) body.reference = reference;
  if (state.customer) body.customer_email = state.customer.email;
  else if ($("walkin-name").value.trim()) body.customer_name = $("walkin-name").value.trim();
  $("sell").disabled = true;
  try {
    const booking = await api("POST", ROUTES.sales, body);
    resetSale();
    say("map-news", "");
    await showReceipt(booking.code, "Sold: " + booking.seats.join(", ") + " · " + rupiah(booking.total) + " · " + booking.code);
  } catch (error) {
    say("sale-error", error.message);
    await refreshMap(false);
  } finally {
    updateSelection();
  }
}

async function hold() {
  if (!state.showtime || state.picked.size === 0) return;
  say("sale-error", "");
  if (!state.customer) { say("sale-error", "Find the customer first: a hold is for a registered customer."); $("customer-query").focus(); return; }
  try {
    const booking = await api("POST", ROUTES.bookings, { showtime_id: state.showtime.id, seats: [...state.picked], customer_email: state.customer.email });
    resetSale();
    $("lookup-code").value = booking.code;
    await lookup();
    say("map-news", "Held " + booking.seats.join(", ") + " for " + (booking.customer_name || state.customer.name) + ": booking " + booking.code + ".");
    await refreshMap(false);
  } catch (error) {
    say("sale-error", error.message);
    await refreshMap(false);
  }
}

function resetSale() {
  state.picked.clear();
  $("reference").value = "";
  $("walkin-name").value = "";
}

async function showReceipt(code, status) {
  const receipt = await api("GET", route("receipt", { code }));
  say("receipt-text", receipt.text);
  say("receipt-status", status || "");
  show("counter", false); show("receipt", true);
  $("receipt-title").tabIndex = -1;
  $("receipt-title").focus();
}

async function backToMap() {
  show("receipt", false); show("counter", true);
  await refreshMap(true);
  loadShowtimes();
  const first = $("map").querySelector('.seat[tabindex="0"]');
  if (first) first.focus();
}

// ---- Bookings by code: cancel, refund, pay a hold -------------------------------------------

async function lookup(event) {
  if (event) event.preventDefault();
  say("lookup-error", "");
  const code = $("lookup-code").value.trim();
  const result = $("lookup-result");
  if (!code) { say("lookup-error", "Type the booking code from the receipt."); return; }
  try {
    const booking = await api("GET", route("booking", { code }));
    const lines = [
      booking.code + ": " + booking.status.replace("_", " "),
      "Seats " + booking.seats.join(", ") + " · " + rupiah(booking.total),
    ];
    if (booking.customer_name) lines.push("Customer: " + booking.customer_name);
    if (booking.refund_amount) lines.push("Refund: " + rupiah(booking.refund_amount));
    result.replaceChildren(...lines.map((l) => { const p = document.createElement("p"); p.textContent = l; return p; }));
    const actions = document.createElement("div");
    actions.className = "actions";
    const add = (text, handler) => {
      const b = document.createElement("button"); b.type = "button"; b.textContent = text;
      b.addEventListener("click", handler); actions.append(b);
    };
    add("Receipt", () => showReceipt(booking.code).catch((e) => say("lookup-error", e.message)));
    if (booking.status === "held") add("Take payment (" + rupiah(booking.total) + ")", () => act(booking, "payment"));
    add("Cancel / refund", () => act(booking, "cancel"));
    if (booking.status === "refund_due") add("Pay out the refund", () => act(booking, "refund"));
    result.append(actions);
  } catch (error) {
    result.replaceChildren();
    say("lookup-error", error.message);
  }
}

async function act(booking, what) {
  say("lookup-error", "");
  try {
    const path = route(what, { code: booking.code });
    const body = what === "payment"
      ? Object.assign({ method: $("method").value, amount: booking.total }, $("reference").value.trim() ? { reference: $("reference").value.trim() } : {})
      : {};
    await api("POST", path, body);
    await lookup();
    refreshMap(false);
    loadShowtimes();
  } catch (error) {
    say("lookup-error", error.message);
  }
}

// ---- Sync -----------------------------------------------------------------------------------

function localTime(iso) {
  if (!iso) return "never";
  const zone = state.cinema ? state.cinema.time_zone : undefined;
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

async function refreshSync() {
  try {
    const status = await api("GET", ROUTES.syncStatus);
    const pill = $("sync-state");
    // The store's own record of the last attempt: failed means head office was out of reach.
    const connection = status.last_sync_error ? "offline" : status.last_sync_at ? "online" : "unsynced";
    pill.dataset.connection = connection;
    pill.textContent = { offline: "Head office: offline", online: "Head office: online", unsynced: "Head office: not synced yet" }[connection];
    pill.title = status.last_sync_error || "";
    say("sync-details", status.pending_changes + " change" + (status.pending_changes === 1 ? "" : "s") + " waiting · last sync "
        + localTime(status.last_sync_at) + " · " + status.open_conflicts + " open conflict" + (status.open_conflicts === 1 ? "" : "s"));
    say("conflicts-toggle", "Conflicts (" + status.open_conflicts + ")");
  } catch (error) {
    if (error.status !== 401) {
      $("sync-state").dataset.connection = "offline";
      say("sync-state", "Server: no answer");
    }
  }
}

async function toggleConflicts() {
  const open = $("conflicts").hidden;
  show("conflicts", open);
  $("conflicts-toggle").setAttribute("aria-expanded", String(open));
  if (open) { await loadConflicts(); $("conflicts-title").tabIndex = -1; $("conflicts-title").focus(); }
}

async function loadConflicts() {
  say("conflicts-error", "");
  try {
    const list = await api("GET", ROUTES.conflicts);
    const ul = $("conflicts-list");
    if (list.items.length === 0) { ul.replaceChildren(item("No open conflicts.")); return; }
    ul.replaceChildren(...list.items.map((c) => {
      const li = document.createElement("li");
      const what = document.createElement("p");
      const seats = c.seat_before ? " · seat " + c.seat_before + (c.seat_after ? " → " + c.seat_after : "") : "";
      what.textContent = c.kind.replace("_", " ") + (c.printed_code ? " · " + c.printed_code : "") + seats + (c.reason ? " · " + c.reason : "");
      const form = document.createElement("div");
      form.className = "resolve";
      const id = "conflict-seat-" + c.id;
      const label = document.createElement("label"); label.htmlFor = id; label.textContent = "Another seat";
      const input = document.createElement("input"); input.id = id; input.size = 5; input.autocomplete = "off";
      const wrap = document.createElement("div"); wrap.append(label, input);
      const button = (text, body) => {
        const b = document.createElement("button"); b.type = "button"; b.textContent = text;
        b.addEventListener("click", () => resolveConflict(c.id, typeof body === "function" ? body() : body));
        return b;
      };
      form.append(wrap, button("Give this seat", () => ({ seat: input.value.trim() })),
                  button("Refund", { refund: true }), button("Accept as it stands", { close: true }));
      li.append(what, form);
      return li;
    }));
  } catch (error) {
    say("conflicts-error", error.message);
  }
}

async function resolveConflict(id, body) {
  say("conflicts-error", "");
  try {
    await api("POST", route("resolution", { id }), body);
    await loadConflicts();
    refreshSync();
    refreshMap(false);
  } catch (error) {
    say("conflicts-error", error.message);
  }
}

// ---- Timers and wiring ----------------------------------------------------------------------

function startTimers() {
  stopTimers();
  refreshSync();
  state.timers.push(setInterval(() => refreshMap(false), MAP_POLL_MS));
  state.timers.push(setInterval(loadShowtimes, LIST_POLL_MS));
  state.timers.push(setInterval(refreshSync, SYNC_POLL_MS));
}

function stopTimers() {
  for (const t of state.timers) clearInterval(t);
  state.timers = [];
}

document.addEventListener("DOMContentLoaded", async () => {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("cinema").addEventListener("change", async () => {
    const cinema = await api("GET", route("cinema", { cinema: $("cinema").value }));
    chooseCinema(cinema);
  });
  $("date").addEventListener("change", () => { closeMap(); loadShowtimes(); });
  $("day-prev").addEventListener("click", () => { closeMap(); shiftDate(-1); });
  $("day-next").addEventListener("click", () => { closeMap(); shiftDate(1); });
  $("map").addEventListener("keydown", mapKeys);
  $("sale").addEventListener("submit", sell);
  $("hold").addEventListener("click", hold);
  $("clear").addEventListener("click", clearSelection);
  $("customer-search").addEventListener("click", searchCustomers);
  $("customer-query").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); searchCustomers(); } });
  $("lookup-form").addEventListener("submit", lookup);
  $("receipt-print").addEventListener("click", () => window.print());
  $("receipt-back").addEventListener("click", backToMap);
  $("conflicts-toggle").addEventListener("click", toggleConflicts);
  const saved = sessionStorage.getItem("boxoffice.user");
  if (!saved) { showLogin(""); return; }
  try {
    await api("GET", ROUTES.syncStatus);   // the session still works, and is staff's
    await start(JSON.parse(saved));
  } catch (error) {
    showLogin(error.status === 401 ? "" : error.message);
  }
});
