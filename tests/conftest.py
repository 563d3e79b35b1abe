from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from accounts.models import Area, Organisation, Role, RoleMembership, User
from core import reference, warm
from core.encryption import encrypt_text
from tests.factories import AreaFactory, OrganisationFactory, UserFactory

# Reference data that data migrations create (idempotent functions taking an app registry).
REFERENCE_DATA = [
    ("referrals.migrations.0003_directory_topics", "add_topics"),
    ("training.migrations.0002_seed_programmes_and_quality_criteria", "seed"),
    ("evaluation.migrations.0003_standard_surveys", "seed"),
]


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    """Put the data migrations' reference rows back for transactional tests.

    A transactional test (live server, real worker) ends by flushing the database, which
    removes rows the migrations made; the next transactional test would find no topics,
    programmes or survey questions.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        (marker is not None and marker.kwargs.get("transaction", False))
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    for module, function in REFERENCE_DATA:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _warm_connections_closed() -> Iterator[None]:
    """Close the connections core.warm keeps (bookings made on PostgreSQL keep one), so none
    outlives the test: the test database cannot be dropped while a session is connected."""
    yield
    warm.close_all()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Start and end every test with an empty cache when it lives outside the database.

    Failed sign-ins, rate limits and dashboard figures are counted in the cache. On Redis (CI)
    they would outlive the test that made them and lock a later test's user out; the database
    cache is rolled back or flushed with the test database.
    """
    reference.clear_local()  # each process's copies of reference rows, whatever the backend
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        yield
        reference.clear_local()
        return
    backend.clear()
    yield
    backend.clear()
    reference.clear_local()


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
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt_text("JBSWY3DPEHPK3PXP")},
            )
        return user

    return make
