#!/usr/bin/env python3
"""A local SMTP server for the tests: every message it receives becomes one file in a folder.

    scripts/smtp_sink.py --port 0 --maildir /tmp/mail [--user U --password P]

--port 0 picks a free port. Once listening it prints "LISTENING <port>" on standard output, then
serves until it is terminated (SIGTERM/SIGINT). Each message is written to <maildir>/<n>.eml
atomically (a temporary name, then a rename), so a reader never sees half a message. AUTH PLAIN and
LOGIN are offered without TLS (auth_require_tls=False) so that the client's AUTH is exercised; with
--user/--password the credentials must match, and with --require-auth mail without AUTH is refused.
"""
import argparse
import itertools
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self, maildir: str):
        self.maildir = maildir
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = next(self.counter)
        name = f"{os.getpid()}-{number:06d}.eml"
        temporary = os.path.join(self.maildir, "." + name + ".tmp")
        with open(temporary, "wb") as file:
            file.write(f"X-Sink-Mail-From: {envelope.mail_from}\r\n".encode())
            file.write(f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
            file.write(f"X-Sink-Auth-User: {login}\r\n".encode())
            file.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.maildir, name))
        return "250 Message accepted for delivery"


class Authenticator:
    def __init__(self, user, password):
        self.user, self.password = user, password

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if self.user is None or (auth_data.login.decode() == self.user and auth_data.password.decode() == self.password):
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--maildir", required=True, help="folder to write received messages into")
    parser.add_argument("--user", help="the only accepted AUTH user (any user when absent)")
    parser.add_argument("--password", help="the password of --user")
    parser.add_argument("--require-auth", action="store_true", help="refuse mail from clients that did not AUTH")
    arguments = parser.parse_args()

    os.makedirs(arguments.maildir, exist_ok=True)
    port = arguments.port or free_port()
    controller = Controller(
        Sink(arguments.maildir),
        hostname="127.0.0.1",
        port=port,
        authenticator=Authenticator(arguments.user, arguments.password),
        auth_require_tls=False,
        auth_required=arguments.require_auth,
    )
    parent = os.getppid()
    controller.start()
    print(f"LISTENING {port}", flush=True)

    stop = threading.Event()
    # A parent may start us with signals blocked (Foundation's Process passes its mask on).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        # Stop too when whoever started us has gone (we were handed to another parent).
        if os.getppid() != parent:
            break
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
