"""``jeugdhulp demo``: the five demo accounts, safe to run twice."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jeugdhulp.accounts.models import Membership, Role, User

USERNAMES = [
    "demo-aanmelder",
    "demo-voorziening",
    "demo-coordinator",
    "demo-analist",
    "demo-beheerder",
]


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def accounts_only(monkeypatch):
    """The accounts step alone: the other steps have their own tests, and the whole demo is
    run (twice) by one test below."""
    from jeugdhulp.demo import steps

    monkeypatch.setattr(steps, "STEPS", steps.STEPS[:1])


@pytest.mark.django_db
@pytest.mark.usefixtures("accounts_only")
def test_demo_creates_one_account_per_role_with_the_given_password():
    output = run_demo("--password", "demo-wachtwoord-2026")
    assert "fictie" in output
    for username in USERNAMES:
        assert username in output
        assert User.objects.get(username=username).check_password("demo-wachtwoord-2026")
    roles = set(
        Membership.objects.filter(user__username__in=USERNAMES).values_list("rol", flat=True)
    )
    assert roles == set(Role.values)


@pytest.mark.django_db
@pytest.mark.usefixtures("accounts_only")
def test_demo_without_password_prints_a_random_one_that_works():
    output = run_demo()
    password = output.split("Wachtwoord (alle demo-accounts): ")[1].split()[0]
    assert User.objects.get(username="demo-analist").check_password(password)


@pytest.mark.slow
@pytest.mark.django_db
def test_running_the_whole_demo_twice_is_safe():
    run_demo("--password", "demo-wachtwoord-2026")
    counts = (User.objects.count(), Membership.objects.count())
    output = run_demo()
    assert (User.objects.count(), Membership.objects.count()) == counts
    assert "ongewijzigd" in output
    assert User.objects.get(username="demo-beheerder").check_password("demo-wachtwoord-2026")


@pytest.mark.django_db
@pytest.mark.usefixtures("accounts_only")
def test_a_weak_password_is_refused_with_a_message():
    with pytest.raises(CommandError, match="Wachtwoord niet bruikbaar"):
        run_demo("--password", "123")
