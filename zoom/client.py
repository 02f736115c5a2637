"""A small client of Zoom's REST API: the requests the portal makes, nothing else.

Server-to-Server OAuth: a token from `POST {ZOOM_OAUTH_URL}?grant_type=account_credentials&account_id=…`
with the client ID and secret as HTTP Basic credentials, kept in the cache until
shortly before it expires (shared by the worker's processes) and fetched again on a 401.

Errors are sorted for the tasks: ZoomUnavailable (timeouts, connection errors, 5xx,
429 with its Retry-After, an answer that is not JSON) is worth retrying later;
ZoomAuthFailed, a kind of it, is a 401 that a new token did not cure or a token
refused (revoked or mistyped credentials: retried with backoff, since the office
may fix the settings); ZoomRefused (any other 4xx) is Zoom's answer and will not
change by asking again.

`zoom_credentials` is the one reader of the credential settings.

Nothing here logs a response body: registrants' join URLs are credentials.
"""
import email.utils
import hashlib
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.cache import cache

# Zoom's registrant form lengths (Add a webinar registrant: first_name, last_name maxLength 64; email 128).
NAME_MAX = 64
EMAIL_MAX = 128
# Keep a token this many seconds less than Zoom says it lives (3,600 s), so none expires mid-request.
TOKEN_MARGIN_SECONDS = 300
# A 429 whose Retry-After is at most this many seconds is waited for in place, up to twice; longer ones go back
# to the task's retry (Celery countdown).
RATE_LIMIT_WAITS = (2, 2, 0)
# Pages as large as Zoom allows (page_size maximum 300): fewest round trips.
PAGE_SIZE = 300


class ZoomError(Exception):
    """Zoom did not do what was asked; `detail` says why without any URL or personal data."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class ZoomUnavailable(ZoomError):
    """Zoom could not be reached or answered 5xx or 429; `retry_after` seconds, when Zoom said."""

    def __init__(self, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.retry_after = retry_after


class ZoomAuthFailed(ZoomUnavailable):
    """Zoom refused the portal's credentials or a freshly issued token: retried with backoff, never looked up."""


class ZoomRefused(ZoomError):
    """Zoom answered a 4xx other than 401 and 429; `status` and Zoom's `code` tell why."""

    def __init__(self, detail: str, *, status: int, code=None):
        super().__init__(detail)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class ZoomCredentials:
    """The Server-to-Server OAuth app's account ID, client ID and client secret."""

    account_id: str
    client_id: str
    client_secret: str


def zoom_credentials() -> ZoomCredentials | None:
    """Return the portal's Zoom credentials (settings ZOOM_ACCOUNT_ID, _CLIENT_ID, _CLIENT_SECRET), or None.

    The one place these settings are read; None unless all three are set.
    """
    values = (settings.ZOOM_ACCOUNT_ID, settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET)
    return ZoomCredentials(*values) if all(values) else None


def zoom_configured() -> bool:
    """Return whether the portal has its Zoom credentials."""
    return zoom_credentials() is not None


def _json(response: httpx.Response, what: str) -> dict:
    """Return a 2xx answer's JSON object; an answer that is not one (a proxy's HTML page) is ZoomUnavailable."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ZoomUnavailable(f"{what}: HTTP {response.status_code}, the answer is not JSON")
    return body


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:  # an HTTP date
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _detail(response: httpx.Response) -> tuple[str, object]:
    """Return a short description of an error answer ("HTTP 404, code 3001: Webinar not found") and Zoom's code."""
    code, message = None, ""
    try:
        body = response.json()
        if isinstance(body, dict):
            code, message = body.get("code"), str(body.get("message") or body.get("reason") or "")
    except ValueError:
        pass
    text = f"HTTP {response.status_code}" + (f", code {code}" if code is not None else "")
    return (text + (f": {message[:150]}" if message else "")), code


class ZoomClient:
    """One connection pool to Zoom; use as a context manager, or call close()."""

    def __init__(self, *, timeout: float | None = None):
        self.http = httpx.Client(timeout=timeout or settings.ZOOM_TIMEOUT_SECONDS)
        self.api_url = settings.ZOOM_API_URL.rstrip("/")
        self.requests = 0  # made by this client (tokens included), for the bench and the logs

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self.http.close()

    # --- the token ---

    @staticmethod
    def _token_cache_key(credentials: ZoomCredentials) -> str:
        # Per account and app: changing the credentials never reuses the old app's token.
        digest = hashlib.sha256(f"{credentials.account_id}:{credentials.client_id}".encode()).hexdigest()[:16]
        return f"zoom:token:{digest}"

    def token(self, *, renew: bool = False) -> str:
        """Return an access token: the cached one, or a new one from Zoom's OAuth endpoint.

        Raise ZoomAuthFailed when the portal has no credentials or Zoom refuses them.
        """
        credentials = zoom_credentials()
        if credentials is None:
            raise ZoomAuthFailed("token: the portal has no Zoom credentials")
        key = self._token_cache_key(credentials)
        if not renew and (cached := cache.get(key)):
            return cached
        response = self._send(
            "POST", settings.ZOOM_OAUTH_URL,
            params={"grant_type": "account_credentials", "account_id": credentials.account_id},
            auth=(credentials.client_id, credentials.client_secret),
        )
        if response.status_code != 200:
            raise ZoomAuthFailed("token refused: " + _detail(response)[0])
        body = _json(response, "token")
        token = body.get("access_token")
        if not token:
            raise ZoomUnavailable("token: HTTP 200 without an access token")
        cache.set(key, token, timeout=max(60, int(body.get("expires_in", 3600)) - TOKEN_MARGIN_SECONDS))
        return token

    # --- requests ---

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        for wait in RATE_LIMIT_WAITS:
            self.requests += 1
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                raise ZoomUnavailable(f"{method} timed out") from exc
            except httpx.TransportError as exc:
                raise ZoomUnavailable(f"{method}: {type(exc).__name__}") from exc
            retry_after = _retry_after(response) if response.status_code == 429 else None
            if retry_after is None or retry_after > wait:
                break
            # Zoom's per-second limit: waiting the second it asks for here beats a round trip through the queue.
            time.sleep(retry_after)
        if response.status_code == 429:
            raise ZoomUnavailable(_detail(response)[0], retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise ZoomUnavailable(_detail(response)[0])
        return response

    def request(self, method: str, path: str, *, json=None, params=None) -> httpx.Response:
        """Send one API request with the token (renewed once on a 401); return a 2xx response or raise.

        A 401 with the renewed token too raises ZoomAuthFailed.
        """
        for renew in (False, True):
            headers = {"Authorization": f"Bearer {self.token(renew=renew)}"}
            response = self._send(method, self.api_url + path, json=json, params=params, headers=headers)
            if response.status_code != 401:
                break
        if response.status_code == 401:
            raise ZoomAuthFailed("credentials refused: " + _detail(response)[0])
        if response.status_code >= 400:
            detail, code = _detail(response)
            raise ZoomRefused(detail, status=response.status_code, code=code)
        return response

    def _pages(self, path: str, key: str, params: dict | None = None):
        """Yield the items under `key` of every page (next_page_token)."""
        params = {"page_size": PAGE_SIZE, **(params or {})}
        while True:
            body = _json(self.request("GET", path, params=params), path.rsplit("/", 1)[-1])
            yield from body.get(key) or []
            token = body.get("next_page_token")
            if not token:
                return
            params = {**params, "next_page_token": token}

    # --- webinars ---

    def registrant_add(self, webinar_id: str, *, email: str, first_name: str, last_name: str = "",
                       language: str = "") -> dict:
        """Register a person for the webinar; return Zoom's answer (registrant_id, join_url, …).

        Zoom keeps one registrant per email address and webinar.
        """
        body = {"email": email[:EMAIL_MAX], "first_name": first_name[:NAME_MAX] or "-"}
        if last_name:
            body["last_name"] = last_name[:NAME_MAX]
        if language:
            body["language"] = language
        answer = _json(self.request("POST", f"/webinars/{webinar_id}/registrants", json=body), "add")
        if not answer.get("registrant_id"):
            raise ZoomUnavailable("add: the answer has no registrant ID")
        return answer

    def registrant_find(self, webinar_id: str, email: str) -> dict | None:
        """Return the webinar's approved registrant with this email address (id, join_url, …), or None."""
        wanted = email.strip().lower()
        for registrant in self._pages(f"/webinars/{webinar_id}/registrants", "registrants", {"status": "approved"}):
            if str(registrant.get("email", "")).strip().lower() == wanted:
                return registrant
        return None

    def registrants_cancel(self, webinar_id: str, registrants: list[dict]) -> None:
        """Cancel the registrants ([{"id": …, "email": …}]) of the webinar."""
        response = self.request("PUT", f"/webinars/{webinar_id}/registrants/status",
                                json={"action": "cancel", "registrants": registrants})
        if response.status_code != 204 and response.content:
            _json(response, "cancel")  # Zoom answers 204; a page in its place did not cancel anyone

    def webinar(self, webinar_id: str) -> dict:
        """Return the webinar (host_email, topic, start_time, …)."""
        return _json(self.request("GET", f"/webinars/{webinar_id}"), "webinar")

    def panelists(self, webinar_id: str) -> list[dict]:
        """Return the webinar's panelists (id, name, email)."""
        return _json(self.request("GET", f"/webinars/{webinar_id}/panelists"), "panelists").get("panelists") or []

    def participants(self, webinar_id: str) -> list[dict]:
        """Return every row of the webinar's participants report (one per join; duration in seconds)."""
        return list(self._pages(f"/report/webinars/{webinar_id}/participants", "participants"))
