"""Who is asking: passwords (argon2), sessions and API keys (stored hashed), CSRF tokens, roles as levels."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from watchfloor.credentials import (  # the library's, shared with the CLI; kept importable from here
    MIN_PASSWORD,
    check_password_rules,
    hash_password,
    new_api_key,
    new_token,
    token_hash,
    verify_password,
)
from watchfloor.models import Role, User

__all__ = ["hash_password", "verify_password", "new_token", "token_hash", "new_api_key", "check_password_rules",
           "csrf_matches", "renew_csrf", "access_of", "SESSION_COOKIE", "CSRF_COOKIE", "MIN_PASSWORD"]

SESSION_COOKIE = "wf_session"
CSRF_COOKIE = "wf_csrf"


def csrf_matches(cookie: str | None, submitted: str | None) -> bool:
    """The double-submitted CSRF token: the form's value equals the cookie's."""
    return bool(cookie and submitted and hmac.compare_digest(cookie, submitted))


def renew_csrf(request: Request, response: Response) -> None:
    """A new CSRF token when who is logged in changes (log-in, log-out): a token seen before then is void."""
    response.set_cookie(CSRF_COOKIE, new_token(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def access_of(user: User | None) -> Role:
    """What a (possibly anonymous) reader may see now."""
    return user.access(datetime.now(UTC)) if user is not None else Role.PUBLIC
