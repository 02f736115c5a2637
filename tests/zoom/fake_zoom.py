"""A fake Zoom (OAuth and REST API) on loopback, answering with the shapes in tests/zoom/fixtures.

Zoom is outside our control, so this is the one fake in the tests: a real HTTP
server the client (in the test process or a Celery worker) talks to. It keeps
registrants per webinar (one per email address, as Zoom does: adding an address
again answers with the same registrant), records every request, and can be told
to fail: `fail("add", "503", "timeout", "429", "served_timeout", "slow", "duplicate", "401", "html")`
scripts the next answers of a route; `down(route)` fails it until `up()`; `revoke()` makes the
OAuth endpoint refuse the portal's credentials (401 invalid_client, as for a deleted or
deactivated app) and forgets the tokens it gave. "slow" serves an add only after the client gave
up (Zoom answering after our timeout); "html" answers 200 with an HTML page (a proxy's or a
maintenance page) instead of JSON; "401" answers Zoom's invalid-token error.
`delay` slows every answer (a realistic 100 ms for the bench); `rate` answers
429 with Retry-After beyond that many requests per second, as Zoom's rate limit.
"""
import copy
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


ROUTES = [
    ("POST", re.compile(r"^/oauth/token$"), "token"),
    ("POST", re.compile(r"^/v2/webinars/(?P<webinar>\d+)/registrants$"), "add"),
    ("GET", re.compile(r"^/v2/webinars/(?P<webinar>\d+)/registrants$"), "list"),
    ("PUT", re.compile(r"^/v2/webinars/(?P<webinar>\d+)/registrants/status$"), "status"),
    ("GET", re.compile(r"^/v2/report/webinars/(?P<webinar>\d+)/participants$"), "report"),
    ("GET", re.compile(r"^/v2/webinars/(?P<webinar>\d+)/panelists$"), "panelists"),
    ("GET", re.compile(r"^/v2/webinars/(?P<webinar>\d+)$"), "webinar"),
]
CLIENT_ID, CLIENT_SECRET, ACCOUNT_ID = "fake-client-id", "fake-client-secret", "fake-account-id"


class FakeZoom:
    def __init__(self, *, delay: float = 0.0, rate: int | None = None, timeout_sleep: float = 3.0):
        self.delay, self.rate, self.timeout_sleep = delay, rate, timeout_sleep
        self.lock = threading.Lock()
        self.tokens: set[str] = set()
        self.registrants: dict[str, dict[str, dict]] = {}  # webinar -> email (lower) -> registrant
        self.requests: list[tuple[str, str, dict]] = []  # (route, path, json body)
        self.script: dict[str, list[str]] = {}
        self.down_routes: set[str] = set()
        self.revoked = False
        self.participants: dict[str, list[dict]] = {}
        self.panelists: dict[str, list[dict]] = {}
        self.host_email = fixture("webinar")["host_email"]
        self.window: list[float] = []  # request times within the last second (rate limit)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def settings_env(self) -> dict[str, str]:
        """The portal's ZOOM_* settings pointing at this server (env names = settings names)."""
        return {"ZOOM_ACCOUNT_ID": ACCOUNT_ID, "ZOOM_CLIENT_ID": CLIENT_ID, "ZOOM_CLIENT_SECRET": CLIENT_SECRET,
                "ZOOM_API_URL": self.url + "/v2", "ZOOM_OAUTH_URL": self.url + "/oauth/token"}

    def start(self) -> "FakeZoom":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- scripting ---

    def fail(self, route: str, *answers: str) -> None:
        with self.lock:
            self.script.setdefault(route, []).extend(answers)

    def down(self, *routes: str) -> None:
        with self.lock:
            self.down_routes.update(routes)

    def up(self) -> None:
        with self.lock:
            self.down_routes.clear()
            self.script.clear()

    def revoke(self) -> None:
        with self.lock:
            self.revoked = True
            self.tokens.clear()

    def approved(self) -> list[dict]:
        """Every registrant still approved, in any webinar: the people Zoom would let in."""
        with self.lock:
            return [copy.deepcopy(r) for people in self.registrants.values() for r in people.values()
                    if r["status"] == "approved"]

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def count(self, route: str) -> int:
        with self.lock:
            return sum(1 for r, _path, _body in self.requests if r == route)

    def bodies(self, route: str) -> list[dict]:
        with self.lock:
            return [body for r, _path, body in self.requests if r == route]

    def registrant(self, webinar: str, email: str) -> dict | None:
        with self.lock:
            return copy.deepcopy(self.registrants.get(str(webinar), {}).get(email.lower()))

    # --- serving ---

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._serve(self, "GET")

            def do_POST(self):
                fake._serve(self, "POST")

            def do_PUT(self):
                fake._serve(self, "PUT")

        return Handler

    def _send(self, handler, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        if body is not None:
            handler.send_header("Content-Type", "application/json;charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _send_raw(self, handler, status: int, data: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _serve(self, handler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw and handler.headers.get("Content-Type", "").startswith("application/json") else {}
        route, params = None, {}
        for route_method, pattern, name in ROUTES:
            match = pattern.match(parts.path)
            if match and route_method == method:
                route, params = name, match.groupdict()
                break
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.requests.append((route or "unknown", parts.path, body))
            now = time.monotonic()
            self.window = [t for t in self.window if now - t < 1.0]
            limited = route != "token" and self.rate is not None and len(self.window) >= self.rate
            if route != "token" and not limited:
                self.window.append(now)
            scripted = self.script.get(route or "", [])
            answer = scripted.pop(0) if scripted else ("503" if route in self.down_routes else "")
        if route is None:
            return self._send(handler, 404, {"code": 404, "message": "Not found"})
        if limited:
            return self._send(handler, 429, fixture("errors")["429"], {"Retry-After": "1"})
        if answer == "timeout":
            time.sleep(self.timeout_sleep)
            return self._send(handler, 504, fixture("errors")["500"])
        if answer == "429":
            return self._send(handler, 429, fixture("errors")["429"], {"Retry-After": "1"})
        if answer == "401":
            return self._send(handler, 401, fixture("errors")["401"])
        if answer == "html":
            return self._send_raw(handler, 200, b"<html><body>Service maintenance</body></html>", "text/html")
        if answer.isdigit():
            return self._send(handler, int(answer), fixture("errors")["500"])
        if route == "token":
            return self._token(handler, query)
        token = handler.headers.get("Authorization", "").removeprefix("Bearer ")
        with self.lock:
            valid = token in self.tokens
        if not valid:
            return self._send(handler, 401, fixture("errors")["401"])
        return getattr(self, f"_{route}")(handler, params.get("webinar", ""), query, body, answer)

    def _token(self, handler, query) -> None:
        import base64

        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if self.revoked:
            return self._send(handler, 401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
        if (handler.headers.get("Authorization") != expected or query.get("grant_type") != "account_credentials"
                or query.get("account_id") != ACCOUNT_ID):
            return self._send(handler, 400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
        answer = fixture("token")
        answer["access_token"] = "fake-" + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens.add(answer["access_token"])
        return self._send(handler, 200, answer)

    def _add(self, handler, webinar, query, body, answer) -> None:
        email = str(body.get("email", "")).lower()
        if not email or not body.get("first_name"):
            return self._send(handler, 400, {"code": 300, "message": "Validation Failed."})
        if answer == "slow":  # Zoom serves the add only after the client's timeout
            time.sleep(self.timeout_sleep)
        with self.lock:
            people = self.registrants.setdefault(webinar, {})
            registrant = people.get(email)
            if registrant is None or registrant["status"] == "cancelled":
                registrant_id = secrets.token_urlsafe(16)
                registrant = {"id": registrant_id, "email": body["email"], "first_name": body["first_name"],
                              "last_name": body.get("last_name", ""), "status": "approved",
                              "create_time": "2026-12-01T01:00:00Z",
                              "join_url": f"https://us06web.zoom.us/w/{webinar}?tk={secrets.token_urlsafe(32)}"}
                people[email] = registrant
        if answer == "served_timeout":  # Zoom registered the person, the answer never arrived
            time.sleep(self.timeout_sleep)
            return self._send(handler, 504, fixture("errors")["500"])
        if answer == "duplicate":
            return self._send(handler, 400, fixture("errors")["duplicate"])
        created = fixture("registrant_created")
        created.update(id=int(webinar), registrant_id=registrant["id"], join_url=registrant["join_url"])
        return self._send(handler, 201, created)

    def _list(self, handler, webinar, query, body, answer) -> None:
        with self.lock:
            people = [copy.deepcopy(r) for r in self.registrants.get(webinar, {}).values()
                      if r["status"] == query.get("status", "approved")]
        size = int(query.get("page_size", 30))
        start = int(query.get("next_page_token") or 0)
        page = fixture("registrants_page")
        page.update(page_size=size, total_records=len(people), registrants=people[start:start + size],
                    page_count=max(1, -(-len(people) // size)),
                    next_page_token=str(start + size) if start + size < len(people) else "")
        return self._send(handler, 200, page)

    def _status(self, handler, webinar, query, body, answer) -> None:
        with self.lock:
            people = self.registrants.get(webinar, {})
            for wanted in body.get("registrants", []):
                for registrant in people.values():
                    if registrant["id"] == wanted.get("id"):
                        registrant["status"] = {"cancel": "cancelled", "approve": "approved",
                                                "deny": "denied"}[body["action"]]
        return self._send(handler, 204)

    def _report(self, handler, webinar, query, body, answer) -> None:
        rows = self.participants.get(webinar, [])
        size = int(query.get("page_size", 30))
        start = int(query.get("next_page_token") or 0)
        page = fixture("participants_page")
        page.update(page_size=size, total_records=len(rows), participants=rows[start:start + size],
                    page_count=max(1, -(-len(rows) // size)),
                    next_page_token=str(start + size) if start + size < len(rows) else "")
        return self._send(handler, 200, page)

    def _panelists(self, handler, webinar, query, body, answer) -> None:
        answer = fixture("panelists")
        answer["panelists"] = self.panelists.get(webinar, answer["panelists"])
        answer["total_records"] = len(answer["panelists"])
        return self._send(handler, 200, answer)

    def _webinar(self, handler, webinar, query, body, answer) -> None:
        answer = fixture("webinar")
        answer.update(id=int(webinar), host_email=self.host_email)
        return self._send(handler, 200, answer)
