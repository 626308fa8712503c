"""Reading the platform's configuration from the environment.

Pure functions (no Django import) so the rules can be tested on their own; ``settings`` calls them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import dj_database_url


class ConfigurationError(RuntimeError):
    """The environment does not describe a usable configuration."""


def var_dir(env: Mapping[str, str]) -> Path:
    """Folder for local state (SQLite file, generated secret key, uploads, job store).

    ``JEUGDHULP_VAR_DIR`` when set; else ``var/`` beside ``src/`` in a source checkout; else
    ``var/`` in the working directory.
    """
    if env.get("JEUGDHULP_VAR_DIR"):
        return Path(env["JEUGDHULP_VAR_DIR"]).resolve()
    package = Path(__file__).resolve().parent
    if package.parent.name == "src":
        return package.parent.parent / "var"
    return Path.cwd() / "var"


def environment(env: Mapping[str, str]) -> str:
    value = env.get("JEUGDHULP_ENV", "development").strip().lower()
    if value not in {"production", "development"}:
        raise ConfigurationError(f"JEUGDHULP_ENV={value!r}: use 'production' or 'development'.")
    return value


def database(env: Mapping[str, str], var: Path) -> dict:
    """Django DATABASES['default'] from ``DATABASE_URL`` (default: SQLite under ``var``)."""
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{var / 'jeugdhulp.sqlite3'}"
    scheme = url.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigurationError(
            f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:/// or postgres://."
        )
    if url in {"sqlite://:memory:", "sqlite:///:memory:"}:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    else:
        # PostgreSQL connections are kept for JEUGDHULP_DB_CONN_MAX_AGE seconds (default 60) by
        # each web thread: a new one per request costs a server process and cold caches.
        keep = integer(env, "JEUGDHULP_DB_CONN_MAX_AGE", 60) if scheme != "sqlite" else 0
        config = dj_database_url.parse(url, conn_max_age=keep)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web process read while the worker writes.
        config.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    else:
        config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("TEST", {})
    return config


def cache(env: Mapping[str, str], var: Path, database_name: str) -> dict:
    """Django CACHES['default'] from ``JEUGDHULP_CACHE``: ``redis`` (at ``REDIS_URL``; the
    default when that is set), ``file`` (under ``var/cache``; the default otherwise: shared by the
    web workers of one machine), ``memory`` (per process) or ``none``. Keys are prefixed with a
    digest of the database name, so instances sharing one Redis never see each other's."""
    kind = env.get("JEUGDHULP_CACHE", "redis" if env.get("REDIS_URL") else "file").strip().lower()
    backends = {
        "redis": ("redis.RedisCache", env.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
        "file": ("filebased.FileBasedCache", str(var / "cache")),
        "memory": ("locmem.LocMemCache", "jeugdhulp"),
        "none": ("dummy.DummyCache", ""),
    }
    if kind not in backends:
        raise ConfigurationError(
            f"JEUGDHULP_CACHE={kind!r}: use 'redis', 'file', 'memory' or 'none'."
        )
    backend, location = backends[kind]
    digest = hashlib.sha256(database_name.encode()).hexdigest()[:12]
    return {
        "BACKEND": f"django.core.cache.backends.{backend}",
        "LOCATION": location,
        "KEY_PREFIX": f"jeugdhulp-{digest}",
    }


def secret_key(env: Mapping[str, str], var: Path, production: bool) -> str:
    """``JEUGDHULP_SECRET_KEY``; in development generated once into ``var/secret_key``."""
    key = env.get("JEUGDHULP_SECRET_KEY", "").strip()
    if key:
        if production and len(key) < 50:
            raise ConfigurationError("JEUGDHULP_SECRET_KEY must be at least 50 characters.")
        return key
    if production:
        raise ConfigurationError("JEUGDHULP_SECRET_KEY is required when JEUGDHULP_ENV=production.")
    path = var / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    var.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Created with owner-only permissions: it signs sessions and password-reset links.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def csv_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "ja"}:
        return True
    if value in {"0", "false", "no", "off", "nee"}:
        return False
    raise ConfigurationError(f"{name}={raw!r}: use true or false.")


def integer(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r}: a whole number is needed.") from None


def trusted_proxies(
    env: Mapping[str, str],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``JEUGDHULP_TRUSTED_PROXIES``: the reverse proxies whose ``X-Forwarded-For`` is believed.

    A comma-separated list of addresses or networks (``10.0.0.5, 192.168.0.0/24, ::1``). Empty
    (the default): no proxy is trusted and the client address is the connection's own.
    """
    networks = []
    for item in csv_list(env, "JEUGDHULP_TRUSTED_PROXIES", []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"JEUGDHULP_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                "(use e.g. 10.0.0.5 or 10.0.0.0/24, separated by commas)."
            ) from None
    return tuple(networks)


def email_backend(env: Mapping[str, str]) -> str:
    """``JEUGDHULP_EMAIL_BACKEND``: console (default), smtp, locmem, or a dotted path."""
    raw = env.get("JEUGDHULP_EMAIL_BACKEND", "console").strip()
    aliases = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
    }
    return aliases.get(raw, raw)


def package_path(name: str) -> Path:
    """Folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(f"package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


# API tokens and password reset (issue #12, findings 11 and 12).
API_TOKEN_DAYS_DEFAULT = 90
API_TOKEN_DAYS_MAX = 3650


def api_token_days(env: Mapping[str, str]) -> int:
    """``JEUGDHULP_API_TOKEN_DAYS``: how long a new API token stays valid (1 to 3650 days, default
    90). A token that never expires cannot be configured."""
    days = integer(env, "JEUGDHULP_API_TOKEN_DAYS", API_TOKEN_DAYS_DEFAULT)
    if not 1 <= days <= API_TOKEN_DAYS_MAX:
        raise ConfigurationError(
            f"JEUGDHULP_API_TOKEN_DAYS={days}: between 1 and {API_TOKEN_DAYS_MAX} days."
        )
    return days


PASSWORD_RESET_LIMITS = {
    "per_address": ("JEUGDHULP_PASSWORD_RESET_PER_ADDRESS", 3),
    "per_ip": ("JEUGDHULP_PASSWORD_RESET_PER_IP", 20),
    "window_minutes": ("JEUGDHULP_PASSWORD_RESET_WINDOW_MINUTES", 60),
}


def password_reset_limits(env: Mapping[str, str]) -> dict[str, int]:
    """How many password-reset requests are honoured per window: ``per_address`` for one e-mail
    address (``JEUGDHULP_PASSWORD_RESET_PER_ADDRESS``, default 3), ``per_ip`` from one client
    address (``JEUGDHULP_PASSWORD_RESET_PER_IP``, default 20), in a window of ``window_minutes``
    (``JEUGDHULP_PASSWORD_RESET_WINDOW_MINUTES``, default 60). Each is a whole number, at least
    1."""
    limits = {}
    for key, (name, default) in PASSWORD_RESET_LIMITS.items():
        value = integer(env, name, default)
        if value < 1:
            raise ConfigurationError(f"{name}={value}: at least 1 is needed.")
        limits[key] = value
    return limits
