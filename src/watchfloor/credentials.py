"""Passwords (argon2id), secret tokens and API keys (stored hashed): what the web app and the CLI both use
to create and check an account's secrets."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from watchfloor.errors import InvalidInput

__all__ = ["hash_password", "verify_password", "new_token", "token_hash", "new_api_key", "check_password_rules",
           "MIN_PASSWORD", "MAX_PASSWORD"]

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
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
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"a password may have at most {MAX_PASSWORD} characters")


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
