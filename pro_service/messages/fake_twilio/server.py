"""The fake Twilio HTTP server: a socket on 127.0.0.1, a thread, scripted faults."""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from pro_service.messages.fake_twilio.api import (
    CALLS_PATH,
    MESSAGES_PATH,
    PlacedCall,
    SentMessage,
    TwilioError,
    call_json,
    check_call_form,
    check_form,
    list_messages,
    message_json,
    new_call,
    new_message,
    page_json,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fault:
    """What to do to one upcoming request instead of, or before, answering it."""

    kind: str  # "fail", "slow", "timeout"
    status: int = 500
    code: int = 20500
    seconds: float = 0.0
    deliver: bool = False  # timeout only: still accept the message after holding


@dataclass(frozen=True)
class RequestLog:
    method: str
    path: str
    status: int | None  # None when the connection was dropped without an answer


class FakeTwilio:
    """A Twilio Messages API on 127.0.0.1; `start()` picks a port, `url` says which."""

    def __init__(
        self,
        account_sid: str = "AC" + "0" * 32,
        auth_token: str = "fake-auth-token",  # noqa: S107 - a test double's own token
        senders: set[str] | None = None,
        hold_seconds: float = 10.0,
        port: int = 0,
    ) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.senders = senders  # allowed From numbers; None allows any
        self.hold_seconds = hold_seconds  # how long timeout_next() holds a connection
        self._port = port
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._messages: list[SentMessage] = []
        self._calls: list[PlacedCall] = []
        self._requests: list[RequestLog] = []
        self._faults: deque[Fault] = deque()
        self._unsubscribed: set[str] = set()
        self.clock = lambda: datetime.now(UTC)  # tests with injected time set their own
        self.latency = 0.0  # seconds every Messages create takes (a provider's normal pace)
        self._in_flight = 0
        self.max_in_flight = 0  # the most create requests handled at once
        self._hung = threading.Event()  # hang(): every Messages create waits until recover()
        self._hung.set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeTwilio:
        """Listen on 127.0.0.1 (port 0 picks a free one) in a background thread."""
        self._released.clear()
        self._server = _Server(("127.0.0.1", self._port), _Handler, self)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release held connections, stop serving and close the socket."""
        self._released.set()
        self._hung.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server, self._thread = None, None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to set as `client.api.base_url`."""
        if self._server is None:
            raise RuntimeError("the fake Twilio server is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def client(self, timeout: float = 5.0) -> Client:
        """A real `twilio.rest.Client` whose Messages API calls come here."""
        client = Client(
            self.account_sid,
            self.auth_token,
            http_client=TwilioHttpClient(timeout=timeout),
        )
        client.edge = client.region = (
            None  # TWILIO_EDGE/REGION would rewrite the host name
        )
        client.api.base_url = self.url
        return client

    @property
    def messages(self) -> list[SentMessage]:
        """Every accepted message, oldest first (a copy)."""
        with self._lock:
            return list(self._messages)

    @property
    def in_flight(self) -> int:
        """Create requests being handled now (each one's sender has marked its row `sending`)."""
        with self._lock:
            return self._in_flight

    @property
    def calls(self) -> list[PlacedCall]:
        """Every accepted call (Calls API), oldest first (a copy)."""
        with self._lock:
            return list(self._calls)

    def create_call(self, account: str, auth: str | None, form: dict[str, str]) -> PlacedCall:
        """Check a Calls create request like Twilio does and record the call."""
        if account != self.account_sid or auth != self._expected_auth():
            raise TwilioError(401, 20003)
        check_call_form(form)
        with self._lock:
            call = new_call(account, form, created=datetime.now(UTC))
            self._calls.append(call)
        log.info("fake twilio accepted call %s", call.sid)
        return call

    @property
    def requests(self) -> list[RequestLog]:
        """Every request received, including refused and faulted ones."""
        with self._lock:
            return list(self._requests)

    def fail_next(self, status: int = 500, code: int = 20500) -> None:
        """Answer the next Messages request with `status` and Twilio error `code`."""
        self._queue(Fault("fail", status=status, code=code))

    def rate_limit_next(self) -> None:
        """Answer the next Messages request with 429 Too Many Requests (20429)."""
        self.fail_next(status=429, code=20429)

    def slow_next(self, seconds: float) -> None:
        """Wait `seconds` before answering the next Messages request normally."""
        self._queue(Fault("slow", seconds=seconds))

    def timeout_next(self, deliver: bool = False) -> None:
        """Hold the next request `hold_seconds`, then drop or (`deliver`) accept it."""
        self._queue(Fault("timeout", seconds=self.hold_seconds, deliver=deliver))

    def unsubscribed(self, number: str) -> None:
        """Refuse messages to `number` with 21610, as after the recipient sent STOP."""
        with self._lock:
            self._unsubscribed.add(number)

    def resubscribed(self, number: str) -> None:
        """Accept messages to `number` again, as after the recipient replied START."""
        with self._lock:
            self._unsubscribed.discard(number)

    def hang(self) -> None:
        """Hold every Messages request (create and list) from now on, until `recover()`."""
        self._hung.clear()

    def recover(self) -> None:
        """End `hang()`: the held requests are answered (and their messages accepted)."""
        self._hung.set()

    def list_page(self, account: str, auth: str | None, query: dict[str, str]) -> dict[str, Any]:
        """Answer a Messages list request like Twilio: filters, newest first, pages."""
        if account != self.account_sid or auth != self._expected_auth():
            raise TwilioError(401, 20003)
        return page_json(account, list_messages(self.messages, query), query)

    def clear_messages(self) -> None:
        """Forget every accepted message and request (a test starts a new phase)."""
        with self._lock:
            self._messages.clear()
            self._requests.clear()

    def clear_faults(self) -> None:
        """Drop every scripted fault not yet applied (an outage ends)."""
        with self._lock:
            self._faults.clear()

    def _queue(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _log(self, method: str, path: str, status: int | None) -> None:
        with self._lock:
            self._requests.append(RequestLog(method, path, status))

    def create_message(
        self, account: str, auth: str | None, form: dict[str, str]
    ) -> SentMessage:
        """Check a Messages create request like Twilio does and record the message."""
        if account != self.account_sid or auth != self._expected_auth():
            raise TwilioError(401, 20003)
        check_form(form)
        sender = form.get("From") or None
        if self.senders is not None and sender and sender not in self.senders:
            raise TwilioError(400, 21606)
        with self._lock:
            if form["To"] in self._unsubscribed:
                raise TwilioError(400, 21610)
            message = new_message(account, form, created=self.clock())
            self._messages.append(message)
        log.info("fake twilio accepted %s: %s", message.sid, message.body)
        return message

    def _expected_auth(self) -> str:
        pair = f"{self.account_sid}:{self.auth_token}".encode()
        return "Basic " + base64.b64encode(pair).decode()


class _Server(ThreadingHTTPServer):
    daemon_threads = (
        False  # server_close() waits for handlers, so nothing outlives stop()
    )
    request_queue_size = 128  # Twilio accepts bursts of connections; the default backlog is 5

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], fake: FakeTwilio
    ) -> None:
        self.fake = fake
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client gave up on a held connection."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 30  # seconds a silent client may keep a handler thread

    def do_POST(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        path = self.path.split("?", 1)[0]
        match, call = MESSAGES_PATH.match(path), CALLS_PATH.match(path)
        if match is None and call is None:
            return self._answer(404, TwilioError(404, 20404).payload())
        fault = fake._next_fault()
        if fault is not None and self._apply(fault):
            return None
        with fake._lock:
            fake._in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake._in_flight)
        try:
            account = (match or call)["account"]  # type: ignore[index]
            answer = self._create(fake, account, form, is_call=call is not None)
        finally:  # before answering: a client that has its answer may send its next request
            with fake._lock:
                fake._in_flight -= 1
        if answer is not None:
            self._answer(*answer)
        return None

    def _create(self, fake: FakeTwilio, account: str, form: dict[str, str],
                is_call: bool) -> tuple[int, dict[str, Any]] | None:
        """The (status, payload) to answer, or None when `release()` ended a hung request."""
        while not fake._hung.wait(0.05):
            if fake._released.is_set():
                return None
        if fake.latency:
            fake._released.wait(fake.latency)
        auth = self.headers.get("Authorization")
        try:
            if is_call:
                return 201, call_json(fake.create_call(account, auth, form))
            message = fake.create_message(account, auth, form)
        except TwilioError as error:
            return error.status, error.payload()
        return 201, message_json(message)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        match = MESSAGES_PATH.match(parts.path)
        if match is None:
            return self._answer(404, TwilioError(404, 20404).payload())
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        while not self.server.fake._hung.wait(0.05):  # a hung API holds list requests too
            if self.server.fake._released.is_set():
                return None
        try:
            page = self.server.fake.list_page(match["account"], self.headers.get("Authorization"), query)
        except TwilioError as error:
            return self._answer(error.status, error.payload())
        return self._answer(200, page)

    def _apply(self, fault: Fault) -> bool:
        """Play `fault`; True when it answered (or dropped) the request itself."""
        released = self.server.fake._released
        if fault.kind == "fail":
            self._answer(fault.status, TwilioError(fault.status, fault.code).payload())
            return True
        released.wait(fault.seconds)
        if fault.kind == "timeout" and not fault.deliver:
            self.server.fake._log(self.command, self.path, None)
            self.close_connection = True
            return True
        return False

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        self.server.fake._log(self.command, self.path, status)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("fake twilio: " + format, *args)
