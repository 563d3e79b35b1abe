"""The benchmark of the boroughs: results, red/amber/green in words, trend, standards."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, StaffGroup
from core.models import AuditEvent
from evaluation.models import BenchmarkIndicator, Standard
from evaluation.presenters.benchmark import present_cell
from evaluation.selectors.benchmark import Cell, Rating, Result, rate, trend
from evaluation.services.rollups import rollups_rebuild
from tests.evaluation.factories import WorkforceHeadcountFactory
from tests.factories import UserFactory
from tests.query_budget import session_reads
from tests.referrals.activity_factories import ConversationFactory
from tests.training.factories import CompletionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
URL = reverse("evaluation:benchmark")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _month(month: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, 5, 10))


def _activity(org, *, people: int, conversations_by_month: dict[int, int]):
    for _ in range(people):
        learner = UserFactory(organisation=org, staff_group=StaffGroup.NURSING)
        CompletionFactory(learner=learner, completed_on=datetime.date(2026, 1, 10))
    author = UserFactory(organisation=org)
    for month, n in conversations_by_month.items():
        ConversationFactory.create_batch(n, author=author, occurred_at=_month(month))


def _standard(indicator, area, target, amber=None):
    return Standard.objects.create(
        indicator=indicator, area=area, target=Decimal(target), amber_threshold=amber
    )


def _row(response, slug):
    table = next(t for t in response.context["tables"] if t.slug == slug)
    return {cell.borough: cell for cell in table.cells}


def test_boroughs_are_rated_against_their_standards_in_words(
    client, make_user, partnership, camden_trust, haringey_council
):
    _activity(camden_trust, people=10, conversations_by_month={1: 20, 2: 20, 3: 20, 4: 20})
    _activity(haringey_council, people=10, conversations_by_month={1: 5, 2: 5, 3: 5, 4: 5})
    WorkforceHeadcountFactory(
        organisation=camden_trust, headcount=40, as_of=datetime.date(2026, 1, 1)
    )
    rollups_rebuild()
    per_trained = BenchmarkIndicator.CONVERSATIONS_PER_TRAINED
    _standard(per_trained, camden_trust.area, "5")
    _standard(per_trained, haringey_council.area, "5", Decimal("1.5"))
    _standard(BenchmarkIndicator.SHARE_TRAINED, camden_trust.area, "50", Decimal("20"))
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    response = client.get(URL)
    assert response.status_code == 200
    row = _row(response, "conversations-per-trained")
    assert (row["Camden"].result, row["Camden"].rating) == ("8.0", "Standard met")
    assert (row["Haringey"].result, row["Haringey"].rating) == ("2.0", "Close to the standard")
    share = _row(response, "share-trained")
    assert (share["Camden"].result, share["Camden"].rating) == ("25.0%", "Close to the standard")
    assert share["Haringey"].result == "No workforce numbers"
    assert share["Haringey"].rating == "No standard set"
    page = response.content.decode()
    assert "nhsuk-tag--green" in page and "Standard met" in page  # colour never alone


def test_a_borough_commissioner_sees_only_their_borough(
    client, make_user, camden, camden_trust, haringey_council
):
    _activity(haringey_council, people=10, conversations_by_month={1: 20})
    rollups_rebuild()
    client.force_login(make_user(Role.COMMISSIONER, camden, with_mfa=True))
    response = client.get(URL)
    assert set(_row(response, "conversations-per-trained")) == {"Camden"}
    assert "Haringey" not in response.content.decode()


def test_results_from_fewer_than_8_are_not_shown(client, make_user, partnership, camden_trust):
    _activity(camden_trust, people=3, conversations_by_month={1: 20})
    rollups_rebuild()
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    row = _row(client.get(URL), "conversations-per-trained")
    assert row["Camden"].result == "Too few to show"


def test_the_trend_follows_the_last_six_months(client, make_user, partnership, camden_trust):
    _activity(
        camden_trust,
        people=8,
        conversations_by_month={1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60},
    )
    rollups_rebuild()
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    row = _row(client.get(URL), "conversations-per-trained")
    assert row["Camden"].trend == "Rising, getting better"


def test_trend_and_rating_rules():
    assert trend([10, 20, 30, 40, 50, 60]) == "rising"
    assert trend([60, 50, 40, 30, 20, 10]) == "falling"
    assert trend([50, 51, 50, 49, 50, 50]) == "steady"
    assert trend([None, None, 5, None, None, 5]) == ""
    cost = Standard(indicator=BenchmarkIndicator.COST_PER_PERSON, target=Decimal(20))
    assert rate(Result(15.0), cost) == Rating.GREEN  # lower is better
    assert rate(Result(25.0), cost) == Rating.RED
    assert rate(Result(None, "No data"), cost) == Rating.NONE


def test_a_result_is_rated_as_it_is_shown():
    # 29.96 shows as "30.0"; against a target of 30.0 it must read as met, not close.
    signposts = Standard(
        indicator=BenchmarkIndicator.SIGNPOSTS_PER_100, target=Decimal(30), amber_threshold=20
    )
    assert rate(Result(29.96), signposts) == Rating.GREEN
    assert rate(Result(29.94), signposts) == Rating.AMBER
    cost = Standard(indicator=BenchmarkIndicator.COST_PER_PERSON, target=Decimal("20.00"))
    assert rate(Result(20.004), cost) == Rating.GREEN
    assert rate(Result(20.006), cost) == Rating.RED


def test_falling_cost_reads_as_getting_better(camden):
    cell = Cell(
        area=camden,
        indicator=BenchmarkIndicator.COST_PER_PERSON,
        result=Result(12.5),
        standard=None,
        rating=Rating.NONE,
        trend="falling",
    )
    shown = present_cell(cell)
    assert (shown.result, shown.trend, shown.rating) == (
        "£12.50",
        "Falling, getting better",
        "No standard set",
    )


def test_the_share_trained_trend_says_how_many_are_trained_each_month(camden):
    # The share only grows; its trend is people trained each month, so "falling" would mislead.
    cell = Cell(
        area=camden,
        indicator=BenchmarkIndicator.SHARE_TRAINED,
        result=Result(40.0),
        standard=None,
        rating=Rating.NONE,
        trend="falling",
    )
    assert present_cell(cell).trend == "Fewer people trained each month, getting worse"
    rising = replace(cell, trend="rising")
    assert present_cell(rising).trend == "More people trained each month, getting better"
    assert present_cell(replace(cell, trend="steady")).trend == "No clear change"


def test_people_without_dashboard_access_cannot_see_the_benchmark(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_benchmark_query_count_does_not_grow_with_the_data(
    client,
    make_user,
    partnership,
    camden_trust,
    haringey_council,
    rows,
    django_assert_num_queries,
):
    for i in range(rows):
        _activity(
            camden_trust if i % 2 else haringey_council,
            people=1,
            conversations_by_month={1 + i % 6: 1},
        )
    rollups_rebuild()
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    client.get(URL)
    with django_assert_num_queries(BENCHMARK_QUERIES + session_reads()):
        client.get(URL)


BENCHMARK_QUERIES = 15  # without the session: see tests/query_budget.py


# --- Administrators set the standards ----------------------------------------------------


def test_an_administrator_sets_a_standard_and_it_is_audited(client, make_user, partnership, camden):
    admin = make_user(Role.ADMINISTRATOR, partnership, with_mfa=True)
    client.force_login(admin)
    response = client.post(
        reverse("evaluation:standards"),
        {"indicator": "share_trained", "area": camden.pk, "target": "40", "amber_threshold": "25"},
    )
    assert response.status_code == 302
    standard = Standard.objects.get()
    assert (standard.target, standard.amber_threshold) == (Decimal(40), Decimal(25))
    assert standard.set_by == admin
    assert AuditEvent.objects.filter(action="standard.set", actor=admin).exists()


def test_an_amber_threshold_on_the_wrong_side_of_the_target_is_an_error(
    client, make_user, partnership, camden
):
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    response = client.post(
        reverse("evaluation:standards"),
        {"indicator": "share_trained", "area": camden.pk, "target": "40", "amber_threshold": "60"},
    )
    assert response.status_code == 200
    assert "The amber threshold must be less than the target" in response.content.decode()
    assert not Standard.objects.exists()


def test_an_administrator_removes_a_standard(client, make_user, partnership, camden):
    standard = _standard(BenchmarkIndicator.SHARE_TRAINED, camden, "40")
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    client.post(reverse("evaluation:standard_remove", args=[standard.pk]))
    assert not Standard.objects.exists()


def test_commissioners_cannot_set_standards(client, make_user, partnership, camden):
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    assert client.get(reverse("evaluation:standards")).status_code == 404
    response = client.post(
        reverse("evaluation:standards"),
        {"indicator": "share_trained", "area": camden.pk, "target": "40"},
    )
    assert response.status_code == 404
    assert not Standard.objects.exists()
