"""Cache of a network's computed figures (the dashboard), per network, period and partner.

Every network has a version token in the cache; a cached result is stored with the token
current when it was computed. Registering a request or adding a workflow event gives each
network of the addressed partners a new token once the transaction commits (``invalidate``).
Tokens are random rather than counters, so no backend needs an atomic increment (the file cache
has none).

Figures of an older token are still served while they are younger than
``settings.JEUGDHULP_DASHBOARD_MAX_LAG`` seconds, and only one request at a time computes them
afresh (the others keep getting the previous figures meanwhile). In a busy network every
registration would otherwise make the next dashboard a full computation: at 20 users that is
most of them. So a dashboard lags at most that long behind the requests (default a minute) and
says when its figures were computed. Other changes (reference data, memberships, edits in the
admin) are seen when an entry expires after ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from jeugdhulp.accounts.models import Organisation

TIMEOUT = 600
# Longer than a computation takes; a crashed one frees the lock when this runs out.
COMPUTING_SECONDS = 30
T = TypeVar("T")


def _version_key(network_id: int) -> str:
    return f"aanmeldingen:netwerk:{network_id}:versie"


def _version(network_id: int) -> str:
    key = _version_key(network_id)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, None):  # another process was first: use its token
            token = cache.get(key) or token
    return token


def entry_key(network_id: int, parts: Iterable) -> str:
    return ":".join(["aanmeldingen:cijfers", str(network_id), *map(str, parts)])


def cached(network_id: int, parts: Iterable, compute: Callable[[], T]) -> T:
    """``compute()``, or its result for the same network and ``parts``: computed since the
    network's last change, or at most ``JEUGDHULP_DASHBOARD_MAX_LAG`` seconds ago."""
    key = entry_key(network_id, parts)
    version = _version(network_id)
    entry = cache.get(key)
    if entry is not None:
        entry_version, computed_at, value = entry
        if entry_version == version:
            return value
        recent = time.time() - computed_at < settings.JEUGDHULP_DASHBOARD_MAX_LAG
        if recent or not cache.add(f"{key}:bezig", True, COMPUTING_SECONDS):
            return value
    computed_at = time.time()
    value = compute()
    cache.set(key, (version, computed_at, value), TIMEOUT)
    cache.delete(f"{key}:bezig")
    return value


def invalidate(partner_ids: Iterable[int]) -> None:
    """After the current transaction commits: new version tokens for the networks and regions
    the partners take part in (``partner_ids``: ids, or a query of them)."""

    def renew() -> None:
        networks = Organisation.netwerken.through.objects.filter(
            from_organisation_id__in=partner_ids
        ).values_list("to_organisation_id", flat=True)
        cache.set_many({_version_key(n): uuid.uuid4().hex for n in set(networks)}, None)

    transaction.on_commit(renew)
