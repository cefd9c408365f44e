"""The webhook sink: HTTP POST of the event, signed with HMAC-SHA256 under the shared secret.

Headers: ``X-Kiosk-Event-Id`` (the idempotency key) and ``X-Kiosk-Signature:
sha256=<hex>`` over the exact body. HTTPS is verified against the system store or
``webhook_ca_file``. A 2xx delivers; anything else (redirects included: they are not
followed, a signed body is not re-sent elsewhere) or a timeout is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import ssl
from pathlib import Path
from urllib.parse import urlsplit

from kiosk import __version__
from kiosk.events.sink import DeliveryError

SIGNATURE_HEADER = "X-Kiosk-Signature"
EVENT_ID_HEADER = "X-Kiosk-Event-Id"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookSink:
    name = "webhook"

    def __init__(self, url: str, secret: str, *, ca_file: Path | None = None, timeout_s: float = 5.0) -> None:
        parts = urlsplit(url)
        self.url = url
        self.secret = secret
        self.timeout_s = timeout_s
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None) if self._https else None

    def describe(self) -> str:
        return f"webhook {self.url}"

    def _connection(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout_s, context=self._context)
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout_s)

    def send(self, event_id: str, body: bytes) -> None:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"kiosk/{__version__}",
            EVENT_ID_HEADER: event_id,
            SIGNATURE_HEADER: signature(self.secret, body),
        }
        conn = self._connection()
        try:
            conn.request("POST", self._path, body=body, headers=headers)
            response = conn.getresponse()
            response.read(64 * 1024)
        except ssl.SSLError as exc:
            raise DeliveryError(f"TLS to {self._host} failed: {exc.reason or exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"{self._host}: {exc.__class__.__name__}: {exc}" if str(exc) else f"{self._host}: {exc.__class__.__name__}") from None
        finally:
            conn.close()
        if not 200 <= response.status < 300:
            raise DeliveryError(f"HTTP {response.status} {response.reason}".strip())
