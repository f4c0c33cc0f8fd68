"""Who may call a route, declared on the route or its router as a dependency (never checked in a route's body).

Every route of the app carries exactly one `RoleCheck` (tests/test_web_roles.py walks the app and fails on a
route without one). Roles are cumulative (public < subscriber < analyst < admin): a check lets through every
reader at or above its level. ``ANYONE`` lets anonymous readers through too; ``SIGNED_IN`` needs an account of
any role. A route that needs the reader declares ``user: AnalystUser`` (or another alias below): FastAPI caches a
dependency per request, so the router's check and the parameter's are one call.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from watchfloor.errors import PermissionDenied
from watchfloor.models import Role, User
from watchfloor.web.auth import access_of
from watchfloor.web.common import NeedsLogin, reader

__all__ = ["RoleCheck", "ANYONE", "SIGNED_IN", "SUBSCRIBER", "ANALYST", "ADMIN", "SignedInUser", "AnalystUser",
           "AdminUser", "role_of"]


class RoleCheck:
    """A dependency that returns the reader when at ``level`` or above (``None``: anyone, anonymous included);
    otherwise NeedsLogin (anonymous) or PermissionDenied."""

    def __init__(self, level: Role | None) -> None:
        self.level = level

    @property
    def label(self) -> str:
        """The level's name as the role matrix writes it: anyone, public (any account), subscriber, ..."""
        return "anyone" if self.level is None else self.level.label

    def __call__(self, request: Request) -> User | None:
        user = reader(request)
        if self.level is None:
            return user
        if user is None:
            raise NeedsLogin("log in to see this page")
        if access_of(user) < self.level:
            raise PermissionDenied(f"this needs the {self.level.label} role; ask an admin")
        return user

    def __repr__(self) -> str:
        return f"RoleCheck({self.label})"


ANYONE = RoleCheck(None)
SIGNED_IN = RoleCheck(Role.PUBLIC)
SUBSCRIBER = RoleCheck(Role.SUBSCRIBER)
ANALYST = RoleCheck(Role.ANALYST)
ADMIN = RoleCheck(Role.ADMIN)

SignedInUser = Annotated[User, Depends(SIGNED_IN)]
AnalystUser = Annotated[User, Depends(ANALYST)]
AdminUser = Annotated[User, Depends(ADMIN)]


def role_of(dependencies: object) -> list[RoleCheck]:
    """The role checks among a FastAPI dependant's dependencies, however deep (for the role-matrix test)."""
    found: list[RoleCheck] = []
    for sub in getattr(dependencies, "dependencies", []):
        call = getattr(sub, "call", None)
        if isinstance(call, RoleCheck):
            if call not in found:
                found.append(call)
        else:
            found += [c for c in role_of(sub) if c not in found]
    return found
