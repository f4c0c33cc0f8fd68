"""Sending e-mail through the configured SMTP server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from watchfloor.errors import SourceUnavailable
from watchfloor.settings import Settings

__all__ = ["send_mail"]


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
