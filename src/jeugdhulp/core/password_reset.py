"""The password-reset page with a rate limit (issue #12, finding 12).

Per e-mail address and per client address, at most ``JEUGDHULP_PASSWORD_RESET_LIMITS`` requests
are honoured in each window (fixed windows of ``window_minutes``). A refused request gets the same
answer as an honoured one, so the page tells nobody whether an address has an account or was
limited; the first refusal in a window is logged and written to the audit log.

The counters live in Django's cache (Redis in production, so every web process shares them). They
are written here rather than with django-ratelimit, whose system checks refuse the file and
local-memory caches this project uses in development and tests.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import PasswordResetView
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponseRedirect

from jeugdhulp.audit.client_ip import client_ip
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record

logger = logging.getLogger(__name__)
clock = time.time  # seconds; the tests move it
AUDIT_TYPE = "wachtwoordherstel"
# JEUGDHULP_CACHE=none turns the cache off; the limit then counts per process instead.
_PROCESS_CACHE = LocMemCache("jeugdhulp-wachtwoordherstel", {})


def _counters():
    store = caches["default"]
    return _PROCESS_CACHE if isinstance(store, DummyCache) else store


def count_request(kind: str, value: str, window_seconds: int) -> int:
    """Add one request to the counter of ``value`` (``kind``: adres, ip) in the current window;
    returns the number so far. Keys hold a digest, never the address itself."""
    bucket = int(clock() // window_seconds)
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    key = f"{AUDIT_TYPE}:{kind}:{digest}:{bucket}"
    store = _counters()
    store.add(key, 0, timeout=window_seconds)
    try:
        count = store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout=window_seconds)
        return 1
    # Some backends (the file cache) reset the timeout on incr; the key names its window anyway.
    store.touch(key, window_seconds)
    return count


class RateLimitedPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        limits = settings.JEUGDHULP_PASSWORD_RESET_LIMITS
        window = limits["window_minutes"] * 60
        address = form.cleaned_data["email"].strip().casefold()
        ip = client_ip(self.request) or "onbekend"
        counts = {
            "adres": (count_request("adres", address, window), limits["per_address"]),
            "ip": (count_request("ip", ip, window), limits["per_ip"]),
        }
        over = sorted(kind for kind, (count, limit) in counts.items() if count > limit)
        if not over:
            return super().form_valid(form)
        if any(counts[kind][0] == counts[kind][1] + 1 for kind in over):
            _record_refusal(address, over, ip)
        # The answer of an honoured request: nothing tells the limit apart from a sent mail.
        return HttpResponseRedirect(self.get_success_url())


def _record_refusal(address: str, over: list[str], ip: str) -> None:
    logger.warning("Wachtwoordherstel geweigerd: te veel aanvragen per %s (vanaf %s).", over, ip)
    fields = [AUDIT_TYPE, *(f"te_veel_per_{kind}" for kind in over)]
    users = list(get_user_model()._default_manager.filter(email__iexact=address))
    for user in users:
        record(AuditAction.LOGIN_FAILED, user, fields=fields)
    if not users:
        record(AuditAction.LOGIN_FAILED, fields=fields, object_type=AUDIT_TYPE)
