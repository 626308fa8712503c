"""API tokens (issue #12, finding 11): they expire, are stored only as a digest, and end with a
password change, a deactivation or the loss of every role. Each attack gets its token the way a
partner does, from ``jeugdhulp token USERNAME``."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from jeugdhulp.accounts.models import Membership, MembershipStatus, Role
from jeugdhulp.audit.models import AuditAction, AuditEvent

ME = "/api/v1/ik/"


def token_for(username: str) -> str:
    out = StringIO()
    call_command("token", username, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def call(key: str, path: str = ME, **headers):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", **headers)
    return client.get(path)


@pytest.fixture
def later(monkeypatch):
    """``later(days)``: the clock moved forward by that many days."""
    real_now = timezone.now

    def move(days: float) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(days=days))

    return move


def test_a_token_works_until_it_expires_after_90_days(world, later):
    key = token_for("aanmelder")
    assert call(key).status_code == 200
    later(89)
    assert call(key).status_code == 200
    later(91)
    assert call(key).status_code == 401
    later(0)
    assert call(key).status_code == 401  # deleted when presented after its expiry


def test_token_lifetime_follows_the_setting(world, later, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(days=2)}
    key = token_for("aanmelder")
    later(1)
    assert call(key).status_code == 200
    later(3)
    assert call(key).status_code == 401


def test_a_password_change_revokes_the_users_tokens(world):
    key = token_for("voorziening")
    other = token_for("aanmelder")
    user = world["voorziening"]
    user.set_password("een-heel-nieuw-wachtwoord-9")
    user.save()
    assert call(key).status_code == 401
    assert call(other).status_code == 200


def test_a_password_saved_with_update_fields_also_revokes(world):
    key = token_for("voorziening")
    user = world["voorziening"]
    user.set_password("een-heel-nieuw-wachtwoord-9")
    user.save(update_fields=["password"])
    assert call(key).status_code == 401


def test_other_changes_to_the_user_keep_the_token(world):
    key = token_for("voorziening")
    user = world["voorziening"]
    user.first_name = "Nieuwe naam"
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert call(key).status_code == 200


def test_deactivating_a_user_revokes_the_tokens_for_good(world):
    key = token_for("voorziening")
    user = world["voorziening"]
    user.is_active = False
    user.save()
    assert call(key).status_code == 401
    user.is_active = True
    user.save()
    assert call(key).status_code == 401  # reactivation does not bring an old token back


def test_losing_every_role_revokes_the_tokens(world, network):
    user = world["voorziening"]
    Membership.objects.create(user=user, organisatie=network["partner2"], rol=Role.AANMELDER)
    key = token_for("voorziening")
    Membership.objects.get(user=user, rol=Role.AANMELDER).delete()
    assert call(key).status_code == 200  # one role left
    Membership.objects.filter(user=user).delete()
    assert call(key).status_code == 401


def test_a_last_role_that_is_refused_revokes_the_tokens(world):
    user = world["voorziening"]
    key = token_for("voorziening")
    assert call(key).status_code == 200
    membership = Membership.objects.filter(user=user).first()
    membership.status = MembershipStatus.GEWEIGERD
    membership.save()
    Membership.objects.filter(user=user).update(status=MembershipStatus.ACTIEF)
    assert call(key).status_code == 401  # revoked for good, not only hidden


def test_the_database_never_holds_a_token_in_plain_text(world):
    key = token_for("aanmelder")
    secret = key[15:]  # knox keeps the first 15 characters as the kenmerk, to find the row
    assert call(key).status_code == 200
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                if any(secret in str(value) for value in row):
                    found.append(table)
    assert found == []


def test_a_header_that_is_not_utf8_is_refused_not_a_server_error(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \xff\xfe")
    assert client.get(ME).status_code == 401


def test_an_unknown_or_malformed_token_is_refused(world):
    key = token_for("aanmelder")
    for wrong in ("", "x", key[:-1] + ("0" if key[-1] != "0" else "1"), key + " extra", "é" * 70):
        assert call(wrong).status_code == 401, wrong


def test_the_header_format_stays_authorization_token_key(world):
    key = token_for("aanmelder")
    assert call(key).json()["gebruikersnaam"] == "aanmelder"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(ME).status_code == 401
    assert APIClient().get(ME)["WWW-Authenticate"] == "Token"


def test_token_command_lists_and_revokes(world):
    first, second = token_for("aanmelder"), token_for("aanmelder")
    listing = StringIO()
    call_command("token", "aanmelder", "--list", stdout=listing)
    lines = listing.getvalue().splitlines()
    assert len(lines) == 3  # header and two tokens
    kenmerken = [line.split()[0] for line in lines[1:]]
    assert {first[:15], second[:15]} == set(kenmerken)
    assert first not in listing.getvalue() and second not in listing.getvalue()

    call_command("token", "aanmelder", "--revoke", first[:15], stdout=StringIO())
    assert call(first).status_code == 401
    assert call(second).status_code == 200
    with pytest.raises(CommandError, match="geen token"):
        call_command("token", "aanmelder", "--revoke", "onbestaand", stdout=StringIO())

    call_command("token", "aanmelder", "--revoke-all", stdout=StringIO())
    assert call(second).status_code == 401
    empty = StringIO()
    call_command("token", "aanmelder", "--list", stdout=empty)
    assert empty.getvalue().strip() == "Geen tokens."


def test_token_command_says_when_the_token_expires(world):
    err = StringIO()
    before = timezone.localtime() + dt.timedelta(days=90)
    call_command("token", "aanmelder", stdout=StringIO(), stderr=err)
    after = timezone.localtime() + dt.timedelta(days=90)
    assert any(f"geldig tot {d:%Y-%m-%d}" in err.getvalue() for d in (before, after))


def test_token_command_refuses_inactive_users(world):
    user = world["aanmelder"]
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="niet actief"):
        call_command("token", "aanmelder", stdout=StringIO())


def test_issuing_and_revoking_tokens_is_audited(world):
    key = token_for("aanmelder")
    user = world["voorziening"]
    token_for("voorziening")
    user.set_password("een-heel-nieuw-wachtwoord-9")
    user.save()
    call_command("token", "aanmelder", "--revoke", key[:15], stdout=StringIO())
    events = AuditEvent.objects.filter(fields=["api_token"]).order_by("id")
    assert [(e.action, e.object_repr) for e in events] == [
        (AuditAction.CREATE, "aanmelder"),
        (AuditAction.CREATE, "voorziening"),
        (AuditAction.DELETE, "voorziening"),
        (AuditAction.DELETE, "aanmelder"),
    ]
    assert events[0].username == "jeugdhulp token"


def test_openapi_names_the_same_token_scheme(client):
    answer = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    scheme = answer["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_drops_old_plain_text_tokens():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("api", None)])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id bigint)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef', NULL, 1)")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("api"))
    with connection.cursor() as cursor:
        assert "authtoken_token" not in connection.introspection.table_names(cursor)


def test_the_admin_cannot_mint_tokens_for_someone_else(client, world):
    from jeugdhulp.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.invalid", "een-lang-wachtwoord-123")
    client.force_login(root)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/knox/authtoken/add/").status_code == 404
    assert (
        client.post(
            "/beheer/knox/authtoken/add/", {"user": world["coordinator"].pk, "expiry": ""}
        ).status_code
        == 404
    )
