"""One client address for the audit log, the API and the lock-out, from one trusted-proxy setting.

Without trusted proxies a client's headers are ignored; behind a trusted proxy each client gets
its own address (so nobody can lock another person out by failing their logins from elsewhere);
only valid IP addresses are ever stored.
"""

from __future__ import annotations

import ipaddress

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from jeugdhulp import envconfig
from jeugdhulp.audit.client_ip import resolve
from jeugdhulp.audit.models import AuditAction, AuditEvent
from jeugdhulp.envconfig import ConfigurationError

PASSWORD = "een-lang-wachtwoord-123"
PROXY = "10.0.0.5"
NOT_AN_IP = "<b>not-an-ip</b>"


def proxies(value: str):
    return envconfig.trusted_proxies({"JEUGDHULP_TRUSTED_PROXIES": value})


def log_in(client, username, password=PASSWORD, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


# -- the setting ------------------------------------------------------------------------------


def test_trusted_proxies_default_to_none():
    assert envconfig.trusted_proxies({}) == ()
    assert envconfig.trusted_proxies({"JEUGDHULP_TRUSTED_PROXIES": " "}) == ()


def test_trusted_proxies_read_addresses_and_networks():
    assert proxies("10.0.0.5, 192.168.0.0/24,::1") == (
        ipaddress.ip_network("10.0.0.5/32"),
        ipaddress.ip_network("192.168.0.0/24"),
        ipaddress.ip_network("::1/128"),
    )


@pytest.mark.parametrize("value", ["proxy.internal", "10.0.0.300", "10.0.0.0/33", NOT_AN_IP])
def test_a_wrong_trusted_proxy_stops_the_start_with_a_clear_message(value):
    with pytest.raises(ConfigurationError, match="JEUGDHULP_TRUSTED_PROXIES"):
        proxies(f"10.0.0.5,{value}")


# -- the rule ---------------------------------------------------------------------------------

addresses = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)
header_entries = st.one_of(addresses, st.text(max_size=30), st.just(NOT_AN_IP))


@given(remote=addresses, entries=st.lists(header_entries, max_size=5))
def test_without_trusted_proxies_the_header_is_ignored(remote, entries):
    assert resolve(remote, ",".join(entries), ()) == str(ipaddress.ip_address(remote))


@given(
    remote=st.one_of(addresses, st.text(max_size=30), st.just("fe80::1%eth0")),
    entries=st.lists(st.one_of(header_entries, st.just("fe80::1%eth0")), max_size=5),
    trusted=st.lists(st.sampled_from(["10.0.0.0/8", "::1", "192.0.2.7", "2001:db8::/32"])),
)
def test_only_a_valid_address_ever_comes_out(remote, entries, trusted):
    header = ",".join(entries)
    result = resolve(remote, header, proxies(",".join(trusted)))
    candidates = {_normalised(text) for text in [remote, *header.split(",")]} - {None}
    assert result is None or result in candidates


def _normalised(text: str) -> str | None:
    """The address as it may be stored (no zone), else None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return None if getattr(address, "scope_id", None) else str(address)


def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client():
    trusted = proxies("10.0.0.0/24")
    # The client wrote "1.2.3.4" itself; the proxies appended what they saw.
    assert resolve("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.0.9", trusted) == "198.51.100.7"
    assert resolve("10.0.0.5", "198.51.100.7", trusted) == "198.51.100.7"
    assert resolve("10.0.0.5", "", trusted) == "10.0.0.5"
    assert resolve("10.0.0.5", f"198.51.100.7, {NOT_AN_IP}", trusted) == "10.0.0.5"
    assert resolve("10.0.0.5", "fe80::1%eth0", trusted) == "10.0.0.5"
    # A connection that does not come from a trusted proxy: its header is nobody's word.
    assert resolve("203.0.113.9", "198.51.100.7", trusted) == "203.0.113.9"


# -- the audit log and the lock-out -----------------------------------------------------------


def test_spoofed_headers_without_a_trusted_proxy_are_not_stored(client, make_user, settings):
    settings.JEUGDHULP_TRUSTED_PROXIES = ()
    make_user(username="anna")
    log_in(
        client,
        "anna",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_REAL_IP=NOT_AN_IP,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).ip_address == "203.0.113.9"


def test_an_invalid_forwarded_address_is_never_stored(client, make_user, settings):
    settings.JEUGDHULP_TRUSTED_PROXIES = proxies(PROXY)
    make_user(username="anna")
    log_in(client, "anna", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=NOT_AN_IP)
    log_in(client, "anna", "fout", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=NOT_AN_IP)
    attempts = AuditEvent.objects.filter(action__in=[AuditAction.LOGIN, AuditAction.LOGIN_FAILED])
    assert attempts.count() == 2
    assert set(attempts.values_list("ip_address", flat=True)) == {PROXY}


def test_behind_a_trusted_proxy_each_user_has_their_own_address(make_user, settings):
    from django.test import Client

    settings.JEUGDHULP_TRUSTED_PROXIES = proxies(PROXY)
    make_user(username="anna")
    make_user(username="bert")
    log_in(Client(), "anna", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    log_in(Client(), "bert", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44")
    logins = dict(
        AuditEvent.objects.filter(action=AuditAction.LOGIN).values_list("username", "ip_address")
    )
    assert logins == {"anna": "198.51.100.7", "bert": "192.0.2.44"}


def test_locking_out_one_client_does_not_lock_out_another_behind_the_proxy(make_user, settings):
    from django.test import Client

    settings.JEUGDHULP_TRUSTED_PROXIES = proxies(PROXY)
    settings.AXES_FAILURE_LIMIT = 3
    make_user(username="anna")
    attacker, anna = Client(), Client()
    for _ in range(4):
        log_in(attacker, "anna", "fout", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = log_in(attacker, "anna", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "_auth_user_id" not in attacker.session and locked.status_code in (403, 429)
    response = log_in(anna, "anna", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and "_auth_user_id" in anna.session
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
