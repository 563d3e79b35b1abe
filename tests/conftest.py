from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator

from accounts.models import Area, Organisation, Role, RoleMembership, User
from tests.factories import AreaFactory, OrganisationFactory, UserFactory


@pytest.fixture
def partnership(db: None) -> Area:
    return AreaFactory(
        ons_code="E54000028", name="North Central London", kind=Area.Kind.PARTNERSHIP
    )


@pytest.fixture
def camden(partnership: Area) -> Area:
    return AreaFactory(ons_code="E09000007", name="Camden", parent=partnership)


@pytest.fixture
def haringey(partnership: Area) -> Area:
    return AreaFactory(ons_code="E09000014", name="Haringey", parent=partnership)


@pytest.fixture
def camden_trust(camden: Area) -> Organisation:
    return OrganisationFactory(name="Camden Trust", area=camden)


@pytest.fixture
def haringey_council(haringey: Area) -> Organisation:
    return OrganisationFactory(
        name="Haringey Council", kind=Organisation.Kind.LOCAL_AUTHORITY, area=haringey
    )


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """A user holding `role` scoped to `scope` (an organisation or an area)."""

    def make(
        role: Role | None = None,
        scope: Organisation | Area | None = None,
        *,
        with_mfa: bool = False,
        **fields: object,
    ) -> User:
        if isinstance(scope, Organisation):
            fields.setdefault("organisation", scope)
        user: User = UserFactory(**fields)
        if role is not None:
            target = scope or user.organisation
            if isinstance(target, Area):
                RoleMembership.objects.create(user=user, role=role, area=target)
            else:
                RoleMembership.objects.create(user=user, role=role, organisation=target)
        if with_mfa:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )
        return user

    return make
