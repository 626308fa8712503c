"""Password reset under a rate limit (issue #12, finding 12): a flood of requests sends at most the
configured number of mails, and the answer never tells a refusal from a sent mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from jeugdhulp.audit.models import AuditAction, AuditEvent
from jeugdhulp.core import password_reset

ADDRESS = "vergeten@example.invalid"


@pytest.fixture(autouse=True)
def steady_clock(monkeypatch):
    """Mid-window, so no test straddles the start of a new window."""
    now = {"t": 1_800_000_000 + 1800.0}
    monkeypatch.setattr(password_reset, "clock", lambda: now["t"])
    return now


@pytest.fixture
def account(make_user):
    return make_user(email=ADDRESS, username="vergeten")


def ask(client, email=ADDRESS, ip="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_twenty_requests_for_one_address_send_three_mails(client, account):
    answers = [ask(client, ip=f"198.51.100.{n}") for n in range(20)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }


def test_the_address_is_counted_whatever_its_case(client, account):
    for n in range(6):
        ask(client, email=ADDRESS.upper() if n % 2 else ADDRESS, ip=f"198.51.100.{n}")
    assert len(mail.outbox) == 3


def test_one_client_address_is_limited_across_addresses(client, make_user, settings):
    settings.JEUGDHULP_PASSWORD_RESET_LIMITS = {"per_address": 3, "per_ip": 5, "window_minutes": 60}
    for n in range(10):
        make_user(email=f"persoon{n}@example.invalid", username=f"persoon{n}")
    for n in range(10):
        ask(client, email=f"persoon{n}@example.invalid")
    assert len(mail.outbox) == 5
    ask(client, email="persoon9@example.invalid", ip="203.0.113.9")
    assert len(mail.outbox) == 6  # another client is not held back


def test_a_refusal_looks_like_any_other_answer(client, account):
    for _ in range(3):
        ask(client)
    refused = ask(client, ip="198.51.100.99")
    unknown = ask(client, email="niemand@example.invalid", ip="198.51.100.98")
    assert len(mail.outbox) == 3
    assert (refused.status_code, refused["Location"]) == (unknown.status_code, unknown["Location"])
    page = client.get(refused["Location"])
    assert page.status_code == 200
    assert "Als het adres bij een account hoort" in page.content.decode()


def test_the_first_refusal_in_a_window_is_audited_once(client, account):
    for n in range(10):
        ask(client, ip=f"198.51.100.{n}")
    events = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert [(e.object_type, e.object_id, e.fields) for e in events] == [
        ("accounts.user", str(account.pk), ["te_veel_per_adres", "wachtwoordherstel"])
    ]
    assert events[0].ip_address == "198.51.100.3"


def test_refusals_for_an_unknown_address_are_audited_without_it(client, db):
    for _ in range(4):
        ask(client, email="niemand@example.invalid")
    (event,) = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert (event.object_type, event.object_repr) == ("wachtwoordherstel", "")
    assert "niemand" not in str(event.fields)


def test_the_limit_ends_with_its_window(client, account, steady_clock):
    for n in range(5):
        ask(client, ip=f"198.51.100.{n}")
    assert len(mail.outbox) == 3
    steady_clock["t"] += 3600
    ask(client)
    assert len(mail.outbox) == 4


def test_the_limits_follow_the_settings(client, account, settings):
    settings.JEUGDHULP_PASSWORD_RESET_LIMITS = {
        "per_address": 1,
        "per_ip": 20,
        "window_minutes": 5,
    }
    for n in range(4):
        ask(client, ip=f"198.51.100.{n}")
    assert len(mail.outbox) == 1


def test_without_a_cache_the_limit_still_holds(client, account, settings, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setattr(password_reset, "_PROCESS_CACHE", LocMemCache("wachtwoordherstel", {}))
    for n in range(6):
        ask(client, ip=f"198.51.100.{n}")
    assert len(mail.outbox) == 3


def test_the_cache_holds_no_address(client, account, settings):
    from django.core.cache import cache

    ask(client)
    keys = list(cache._cache.keys())
    assert keys and not any(ADDRESS in key or "198.51.100.7" in key for key in keys)
