"""Who is asking: passwords (argon2), sessions and API keys (stored hashed), CSRF tokens, roles as levels."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import Request
from starlette.responses import Response

from watchfloor.errors import InvalidInput
from watchfloor.models import Role, User

__all__ = ["hash_password", "verify_password", "new_token", "token_hash", "new_api_key", "check_password_rules",
           "csrf_matches", "renew_csrf", "access_of", "SESSION_COOKIE", "CSRF_COOKIE", "MIN_PASSWORD"]

SESSION_COOKIE = "wf_session"
CSRF_COOKIE = "wf_csrf"
MIN_PASSWORD = 10
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise InvalidInput("a password may have at most 1024 characters")


def new_token() -> str:
    """A random, URL-safe secret (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a secret token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_api_key() -> tuple[str, str]:
    """A new API key and its short prefix (shown in listings)."""
    key = "wf_" + secrets.token_urlsafe(32)
    return key, key[:10]


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
