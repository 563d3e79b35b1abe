"""accounts.access: may this user do X here, and which rows may they see."""

from __future__ import annotations

import pytest
from django.http import Http404

from accounts import access
from accounts.access import Permission
from accounts.models import Organisation, Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_scope_covers_only_that_organisation(
    make_user, camden_trust, haringey_council
):
    lead = make_user(Role.TRAINING_LEAD, camden_trust)
    assert access.can(lead, Permission.MANAGE_STAFF, camden_trust)
    assert not access.can(lead, Permission.MANAGE_STAFF, haringey_council)
    assert not access.can(lead, Permission.MANAGE_STAFF, camden_trust.area)
    assert list(access.organisations_in_scope(lead, Permission.MANAGE_STAFF)) == [camden_trust]


def test_area_scope_covers_every_organisation_in_the_area(
    make_user, camden, camden_trust, haringey_council
):
    camden_gp = OrganisationFactory(name="Camden GP", area=camden)
    commissioner = make_user(Role.COMMISSIONER, camden)
    in_scope = set(access.organisations_in_scope(commissioner, Permission.VIEW_DASHBOARDS))
    assert in_scope == {camden_trust, camden_gp}
    assert access.can(commissioner, Permission.VIEW_DASHBOARDS, camden)
    assert not access.can(commissioner, Permission.VIEW_DASHBOARDS, haringey_council)
    assert not access.can(commissioner, Permission.VIEW_DASHBOARDS, haringey_council.area)


def test_partnership_scope_covers_all_boroughs(
    make_user, partnership, camden_trust, haringey_council
):
    commissioner = make_user(Role.COMMISSIONER, partnership)
    assert set(access.areas_in_scope(commissioner, Permission.VIEW_DASHBOARDS)) == {
        partnership,
        camden_trust.area,
        haringey_council.area,
    }
    assert set(access.organisations_in_scope(commissioner, Permission.VIEW_DASHBOARDS)) == {
        camden_trust,
        haringey_council,
    }


def test_role_without_the_permission_gets_nothing(make_user, camden_trust):
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust)
    assert not access.can(worker, Permission.VIEW_DASHBOARDS)
    assert not access.scope(
        Organisation.objects.all(), worker, Permission.VIEW_DASHBOARDS, via=""
    ).exists()


def test_several_roles_combine(make_user, camden_trust, haringey):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    from accounts.services import role_grant

    role_grant(user=user, role=Role.COMMISSIONER, scope=haringey, actor=None)
    assert access.roles_of(user) == {Role.FRONTLINE_WORKER, Role.COMMISSIONER}
    assert access.can(user, Permission.LOG_CONVERSATION, camden_trust)
    assert access.can(user, Permission.VIEW_DASHBOARDS, haringey)
    assert access.requires_mfa(user)


def test_scope_filters_a_queryset_through_a_relation(make_user, camden_trust, haringey_council):
    lead = make_user(Role.TRAINING_LEAD, camden_trust)
    colleague = make_user(Role.FRONTLINE_WORKER, camden_trust)
    outsider = make_user(Role.FRONTLINE_WORKER, haringey_council)
    from accounts.models import User

    visible = access.scope(User.objects.all(), lead, Permission.MANAGE_STAFF)
    assert colleague in visible
    assert lead in visible
    assert outsider not in visible


def test_object_outside_scope_is_404(make_user, camden_trust, haringey_council):
    lead = make_user(Role.TRAINING_LEAD, camden_trust)
    outsider = make_user(Role.FRONTLINE_WORKER, haringey_council)
    from accounts.models import User

    with pytest.raises(Http404):
        access.get_in_scope(User.objects.all(), lead, Permission.MANAGE_STAFF, pk=outsider.pk)
    assert (
        access.get_in_scope(User.objects.all(), lead, Permission.MANAGE_STAFF, pk=lead.pk) == lead
    )


def test_anonymous_and_inactive_users_can_do_nothing(make_user, camden_trust):
    from django.contrib.auth.models import AnonymousUser

    assert not access.can(AnonymousUser(), Permission.LOG_CONVERSATION)
    admin = make_user(Role.ADMINISTRATOR, camden_trust.area, is_active=False)
    assert not access.can(admin, Permission.ADMINISTER)


def test_administrator_holds_every_permission_but_reading_resident_contact_details(
    make_user, partnership
):
    admin = make_user(Role.ADMINISTRATOR, partnership)
    others = set(Permission) - {Permission.VIEW_RESIDENT_CONTACT}
    assert all(access.can(admin, permission) for permission in others)
    assert not access.can(admin, Permission.VIEW_RESIDENT_CONTACT)


def test_memberships_are_loaded_once_per_user_object(
    make_user, camden_trust, django_assert_num_queries
):
    lead = make_user(Role.TRAINING_LEAD, camden_trust)
    with django_assert_num_queries(1):
        for _ in range(5):
            access.can(lead, Permission.MANAGE_STAFF, camden_trust)


def test_organisation_granted_returns_the_loaded_organisation_only_for_a_direct_grant(
    make_user, camden, camden_trust, haringey_council
):
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust)
    granted = access.organisation_granted(worker, Permission.LOG_CONVERSATION, camden_trust.pk)
    assert granted == camden_trust
    assert access.organisation_granted(worker, Permission.LOG_CONVERSATION, None) is None
    assert (
        access.organisation_granted(worker, Permission.LOG_CONVERSATION, haringey_council.pk)
        is None
    )
    assert access.organisation_granted(worker, Permission.MANAGE_STAFF, camden_trust.pk) is None
    # Held through an area: not "direct", so the caller asks `can` instead.
    commissioner = make_user(Role.COMMISSIONER, camden)
    assert (
        access.organisation_granted(commissioner, Permission.VIEW_DASHBOARDS, camden_trust.pk)
        is None
    )
