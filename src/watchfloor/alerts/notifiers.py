"""Notifiers: e-mail through the configured SMTP server and signed JSON webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any

from watchfloor.errors import SourceUnavailable
from watchfloor.settings import Settings

__all__ = ["send_mail", "post_webhook", "signature"]


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send a plain-text message; an unreachable server is a clear error."""
    message = EmailMessage()
    message["From"] = settings.get("mail_from") or "watchfloor@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    host, port = settings.get("smtp_host") or "localhost", int(settings.number("smtp_port"))
    try:
        with smtplib.SMTP(host, port, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SourceUnavailable(f"cannot send e-mail through {host}:{port} ({exc}); "
                                "set WATCHFLOOR_SMTP_HOST and WATCHFLOOR_SMTP_PORT") from exc


def signature(secret: str, body: bytes) -> str:
    """The value of the X-Watchfloor-Signature header: HMAC-SHA256 of the body under the shared secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post_webhook(settings: Settings, url: str, payload: dict[str, Any], timeout: float = 10) -> None:
    """POST signed JSON; anything but a 2xx answer is an error (the caller retries with backoff)."""
    if not url.startswith(("https://", "http://")):
        raise SourceUnavailable(f"webhook {url!r} is not an http(s) URL")
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "Watchfloor alerts"}
    secret = settings.get("webhook_secret")
    if secret:
        headers["X-Watchfloor-Signature"] = signature(secret, body)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            response.read(1024)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise SourceUnavailable(f"webhook {url} answered {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise SourceUnavailable(f"webhook {url} unreachable: {exc}") from None
