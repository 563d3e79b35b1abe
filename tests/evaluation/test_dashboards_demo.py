"""The whole demo, seen by the partnership commissioner: believable reach, a mix of red, amber
and green on the benchmark, no empty chart, and a special-cause signal to talk about."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Organisation, Role, RoleMembership
from evaluation import demo as evaluation_demo
from evaluation.models import Report, Standard, WorkforceHeadcount
from evaluation.presenters.dashboard import dashboard_view
from evaluation.selectors.benchmark import Rating, benchmark
from evaluation.selectors.dashboard import DashboardFilters, Period, dashboard_scope
from evaluation.selectors.workforce import headcount_by_org_and_staff_group
from referrals import demo as referrals_demo
from training import demo as training_demo
from training.selectors.evaluation import people_completed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def demo():
    accounts_demo.seed()
    training_demo.seed()
    referrals_demo.seed()
    evaluation_demo.seed()


@pytest.fixture
def commissioner(demo):
    membership = RoleMembership.objects.filter(
        role=Role.COMMISSIONER, area__parent__isnull=True, area__isnull=False
    ).select_related("user")
    return membership.first().user


def snapshot():
    return (
        sorted(
            WorkforceHeadcount.objects.values_list(
                "organisation_id", "staff_group", "headcount", "as_of"
            )
        ),
        sorted(Standard.objects.values_list("indicator", "area_id", "target", "amber_threshold")),
        sorted(Report.objects.values_list("requested_by_id", "format", "status", "file")),
    )


def test_each_organisation_has_trained_15_to_60_percent_of_its_workforce(demo):
    today = timezone.localdate()
    trained = people_completed(start=date(2000, 1, 1), end=today, by="organisation")
    headcount = Counter[int]()
    for (org_id, _), count in headcount_by_org_and_staff_group(
        organisation_ids=list(Organisation.objects.values_list("pk", flat=True))
    ).items():
        headcount[org_id] += count
    shares = {org_id: trained.get(org_id, 0) / count for org_id, count in headcount.items()}
    assert len(shares) == Organisation.objects.count()
    assert all(0.15 <= share <= 0.6 for share in shares.values()), shares


def test_the_benchmark_shows_red_amber_and_green_on_most_indicators(commissioner):
    rows = benchmark(scope=dashboard_scope(commissioner))
    ratings = [{cell.rating for cell in row} for row in rows]
    assert all(Rating.NONE not in row for row in ratings)
    everywhere = set().union(*ratings)
    assert everywhere == {Rating.RED, Rating.AMBER, Rating.GREEN}
    assert all(len(row) >= 2 for row in ratings)  # no indicator is all one colour


def test_every_chart_has_something_to_show_and_one_spc_chart_signals(commissioner):
    scope = dashboard_scope(commissioner)
    view = dashboard_view(scope, DashboardFilters(period=Period.last(12)))
    for chart in view.charts:
        numbers = [cell for row in chart.rows for cell in row[1:2] if isinstance(cell, int)]
        assert numbers and any(numbers), chart.title
    longer = dashboard_view(scope, DashboardFilters(period=Period.last(18)))
    spc = [chart for chart in longer.charts if chart.kind == "spc"]
    assert any(row[2] != "None" for chart in spc for row in chart.rows)


def test_seeding_again_changes_nothing(demo):
    first = snapshot()
    evaluation_demo.seed()
    assert snapshot() == first


def test_each_commissioner_has_last_months_pack_ready_to_download(demo):
    commissioners = set(
        RoleMembership.objects.filter(role=Role.COMMISSIONER).values_list("user_id", flat=True)
    )
    packs = Report.objects.filter(kind=Report.Kind.MONTHLY, status=Report.Status.READY)
    assert set(packs.values_list("requested_by_id", "format")) == {
        (user_id, format) for user_id in commissioners for format in Report.Format.values
    }
    pdf = packs.filter(format=Report.Format.PDF).first()
    assert pdf.file.read(4) == b"%PDF"
