"""Reading the configuration from the environment (pure; no Django settings involved)."""

from pathlib import Path

import pytest

from jeugdhulp import envconfig
from jeugdhulp.envconfig import ConfigurationError


def test_database_defaults_to_sqlite_file_under_var(tmp_path):
    config = envconfig.database({}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "jeugdhulp.sqlite3")


def test_database_reads_absolute_sqlite_url(tmp_path):
    config = envconfig.database({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, Path("/nowhere"))
    assert config["NAME"] == f"{tmp_path}/x.db"


def test_database_reads_postgres_url():
    config = envconfig.database(
        {"DATABASE_URL": "postgres://jh:geheim@db.internal:5433/jeugdhulp"}, Path("/x")
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        5433,
        "jeugdhulp",
        "jh",
    )
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"]
    url = {"DATABASE_URL": "postgres://db/jeugdhulp", "JEUGDHULP_DB_CONN_MAX_AGE": "0"}
    assert envconfig.database(url, Path("/x"))["CONN_MAX_AGE"] == 0


def test_database_refuses_unknown_scheme():
    with pytest.raises(ConfigurationError, match="mysql"):
        envconfig.database({"DATABASE_URL": "mysql://x/y"}, Path("/x"))


def test_secret_key_is_generated_once_and_reused(tmp_path):
    first = envconfig.secret_key({}, tmp_path, production=False)
    second = envconfig.secret_key({}, tmp_path, production=False)
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_key_is_required_in_production(tmp_path):
    with pytest.raises(ConfigurationError, match="required"):
        envconfig.secret_key({}, tmp_path, production=True)
    with pytest.raises(ConfigurationError, match="50"):
        envconfig.secret_key({"JEUGDHULP_SECRET_KEY": "short"}, tmp_path, production=True)


def test_environment_accepts_only_known_values():
    assert envconfig.environment({}) == "development"
    assert envconfig.environment({"JEUGDHULP_ENV": " Production "}) == "production"
    with pytest.raises(ConfigurationError):
        envconfig.environment({"JEUGDHULP_ENV": "staging"})


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("ja", True), ("off", False), ("Nee", False), ("", True)]
)
def test_boolean_values(raw, expected):
    assert envconfig.boolean({"X": raw}, "X", default=True) is expected


def test_boolean_refuses_garbage():
    with pytest.raises(ConfigurationError, match="X='misschien'"):
        envconfig.boolean({"X": "misschien"}, "X", default=False)


def test_lists_and_integers():
    assert envconfig.csv_list({"H": "a.be, b.be,,"}, "H", []) == ["a.be", "b.be"]
    assert envconfig.csv_list({}, "H", ["x"]) == ["x"]
    assert envconfig.integer({"N": "42"}, "N", 1) == 42
    with pytest.raises(ConfigurationError):
        envconfig.integer({"N": "veel"}, "N", 1)


def test_email_backend_aliases():
    assert envconfig.email_backend({}).endswith("console.EmailBackend")
    assert envconfig.email_backend({"JEUGDHULP_EMAIL_BACKEND": "smtp"}).endswith(
        "smtp.EmailBackend"
    )
    assert envconfig.email_backend({"JEUGDHULP_EMAIL_BACKEND": "my.Backend"}) == "my.Backend"


def test_var_dir_from_environment(tmp_path):
    assert envconfig.var_dir({"JEUGDHULP_VAR_DIR": str(tmp_path)}) == tmp_path.resolve()


def test_cache_is_redis_with_redis_url_and_files_otherwise(tmp_path):
    redis = envconfig.cache({"REDIS_URL": "redis://cache:6379/1"}, tmp_path, "jeugdhulp")
    assert redis["BACKEND"].endswith("RedisCache") and redis["LOCATION"] == "redis://cache:6379/1"
    files = envconfig.cache({}, tmp_path, "jeugdhulp")
    assert files["BACKEND"].endswith("FileBasedCache")
    assert files["LOCATION"] == str(tmp_path / "cache")
    none = envconfig.cache({"JEUGDHULP_CACHE": "none"}, tmp_path, "jeugdhulp")
    assert none["BACKEND"].endswith("DummyCache")


def test_cache_keys_differ_per_database_and_unknown_kinds_are_refused(tmp_path):
    one = envconfig.cache({}, tmp_path, "een")["KEY_PREFIX"]
    assert one != envconfig.cache({}, tmp_path, "twee")["KEY_PREFIX"]
    with pytest.raises(envconfig.ConfigurationError):
        envconfig.cache({"JEUGDHULP_CACHE": "memcached"}, tmp_path, "een")
