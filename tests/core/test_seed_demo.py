from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Area, Organisation, OrganisationEmailDomain, Role, RoleMembership, User

pytestmark = pytest.mark.django_db

BOROUGH_CODES = {"E09000003", "E09000007", "E09000010", "E09000014", "E09000019"}


def _snapshot():
    return (
        sorted(Area.objects.values_list("ons_code", "name", "parent__ons_code")),
        sorted(Organisation.objects.values_list("name", "kind", "area__name")),
        sorted(OrganisationEmailDomain.objects.values_list("domain", "organisation__name")),
        sorted(User.objects.values_list("email", "organisation__name")),
        sorted(
            RoleMembership.objects.values_list(
                "user__email", "role", "organisation__name", "area__name"
            )
        ),
    )


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first


def test_seed_demo_has_the_five_boroughs_under_the_partnership():
    call_command("seed_demo", stdout=StringIO())
    boroughs = Area.objects.filter(kind=Area.Kind.BOROUGH)
    assert set(boroughs.values_list("ons_code", flat=True)) == BOROUGH_CODES
    assert {b.parent.ons_code for b in boroughs} == {"E54000028"}


def test_seed_demo_has_one_user_per_role_who_can_sign_in(client):
    call_command("seed_demo", stdout=StringIO())
    held = set(RoleMembership.objects.values_list("role", flat=True))
    assert held == {r.value for r in Role}
    # The demo frontline worker (referrals' demo activity adds synthetic colleagues who
    # cannot sign in).
    frontline = RoleMembership.objects.get(
        role=Role.FRONTLINE_WORKER, user__email="frontline@fleetvalley.nhs.example"
    ).user
    response = client.post(
        "/accounts/login/", {"login": frontline.email, "password": "demo-password-for-tests"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_seed_demo_prints_credentials_only_in_debug(settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo-password-for-tests" not in out.getvalue()
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "frontline@fleetvalley.nhs.example" in out.getvalue()
    assert "demo-password-for-tests" in out.getvalue()
