"""The client's address: one rule for the audit log, the API and the login lock-out.

The connection's own address (``REMOTE_ADDR``) is the client, unless it is one of the reverse
proxies listed in ``JEUGDHULP_TRUSTED_PROXIES``. Then ``X-Forwarded-For`` is read from the right
(each proxy appends the address it received the request from), skipping trusted proxies: the
first address that is not one of them is the client. Whatever a client writes into that header
itself stands to the left of what the trusted proxies appended, so it is never reached. An entry
that is not an IP address ends the walk and the connection's address is used.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    # A zone ("fe80::1%eth0") means nothing beyond the proxy, and PostgreSQL's inet refuses it.
    return None if getattr(address, "scope_id", None) else address


def resolve(remote_addr: str | None, forwarded_for: str, trusted: Iterable[Network]) -> str | None:
    """The client address for a connection from ``remote_addr`` carrying ``forwarded_for``;
    ``None`` when not even ``remote_addr`` is an IP address. Only valid addresses come out."""
    remote = _address(remote_addr)
    if remote is None:
        return None
    networks = tuple(trusted)

    def is_trusted(address) -> bool:
        return any(address.version == net.version and address in net for net in networks)

    if not is_trusted(remote):
        return str(remote)
    client = remote
    for entry in reversed(forwarded_for.split(",") if forwarded_for.strip() else []):
        hop = _address(entry)
        if hop is None:
            return str(remote)
        client = hop
        if not is_trusted(hop):
            break
    return str(client)


def client_ip(request) -> str | None:
    """The client address of a Django request (``AXES_CLIENT_IP_CALLABLE`` points here)."""
    return resolve(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        getattr(settings, "JEUGDHULP_TRUSTED_PROXIES", ()),
    )
