"""Who is acting, for the audit log: set per request by the middleware, per command by hand."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    username: str = ""
    ip_address: str | None = None
    path: str = ""


class RequestActor:
    """The actor of a web request. Its user is read from the request each time an event is
    written, so whoever authenticates during the request is the actor of what follows: a session
    user (Django's middleware), a user who has just logged in, or an API caller authenticated by
    any DRF authentication class inside the view (DRF sets the user on the Django request too)."""

    def __init__(self, request, ip_address: str | None):
        self._request = request
        self.ip_address = ip_address
        self.path = request.path[:300]

    @property
    def user(self):
        user = getattr(self._request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @property
    def username(self) -> str:
        user = self.user
        return user.get_username() if user is not None else ""


_NOBODY = Actor()
_current: contextvars.ContextVar[Actor | RequestActor | None] = contextvars.ContextVar(
    "audit_actor", default=None
)


def current_actor() -> Actor | RequestActor:
    return _current.get() or _NOBODY


@contextmanager
def acting_as(actor: Actor | RequestActor) -> Iterator[Actor | RequestActor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
