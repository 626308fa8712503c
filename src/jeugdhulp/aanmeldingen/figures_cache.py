"""Cache of a network's computed figures (the dashboard), per network, period and partner.

Every network has a version token in the cache; a cached result is stored under the token
current when it was computed. Registering a request or adding a workflow event gives each
network of the addressed partners a new token once the transaction commits (``invalidate``),
so the next dashboard of those networks is computed afresh. Tokens are random rather than
counters, so no backend needs an atomic increment (the file cache has none). Other changes
(reference data, memberships, edits in the admin) are seen when an entry expires after
``TIMEOUT`` seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from jeugdhulp.accounts.models import Organisation

TIMEOUT = 600
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


def cached(network_id: int, parts: Iterable, compute: Callable[[], T]) -> T:
    """``compute()``, or its result for the same network and ``parts`` since the network's last
    change."""
    key = ":".join(
        ["aanmeldingen:cijfers", str(network_id), _version(network_id), *map(str, parts)]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
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
