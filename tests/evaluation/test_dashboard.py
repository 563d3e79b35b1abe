"""The commissioner dashboard: scope, filters, disclosure control, charts, query counts."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, StaffGroup
from evaluation.services.rollups import rollups_rebuild
from tests.factories import UserFactory
from tests.query_budget import session_reads
from tests.referrals.activity_factories import (
    ActivityTopicFactory,
    ConversationFactory,
    ReferralFactory,
)
from tests.training.factories import CompletionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
URL = reverse("evaluation:dashboard")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _conversations(org, n, *, month=5, topic=None, staff_group=StaffGroup.NURSING):
    author = UserFactory(organisation=org, staff_group=staff_group)
    when = timezone.make_aware(datetime.datetime(2026, month, 10, 10, 0))
    return ConversationFactory.create_batch(
        n, author=author, occurred_at=when, topics=[topic or ActivityTopicFactory(slug="diet")]
    )


@pytest.fixture
def borough_commissioner(make_user, camden):
    return make_user(Role.COMMISSIONER, camden, with_mfa=True)


@pytest.fixture
def partnership_commissioner(make_user, partnership):
    return make_user(Role.COMMISSIONER, partnership, with_mfa=True)


def _chart(response, slug):
    return next(c for c in response.context["charts"] if c.slug == slug)


def test_a_frontline_worker_cannot_see_the_dashboard(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(URL).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_borough_commissioner_sees_only_their_borough(
    client, borough_commissioner, camden_trust, haringey_council
):
    _conversations(camden_trust, 12)
    _conversations(haringey_council, 30)
    rollups_rebuild()
    client.force_login(borough_commissioner)
    response = client.get(URL)
    assert response.status_code == 200
    assert _chart(response, "by-borough").rows == [["Camden", 10]]
    conversations = response.context["headlines"][0]
    assert (conversations.label, conversations.value) == ("Conversations", 10)
    assert "Haringey" not in response.content.decode()


def test_choosing_a_borough_outside_your_scope_is_refused_with_a_message(
    client, borough_commissioner, camden_trust, haringey_council
):
    _conversations(haringey_council, 30)
    rollups_rebuild()
    client.force_login(borough_commissioner)
    response = client.get(URL, {"area": haringey_council.area_id})
    assert response.status_code == 200
    assert "Select a borough from the list" in response.content.decode()
    assert response.context["filters"].area is None
    assert response.context["headlines"][0].value == 0


def test_the_partnership_commissioner_sees_every_borough_with_exact_totals(
    client, partnership_commissioner, camden_trust, haringey_council
):
    _conversations(camden_trust, 3)
    _conversations(haringey_council, 9)
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    response = client.get(URL)
    assert response.context["headlines"][0].value == 12  # partnership level: not rounded
    # Below partnership level the borough counts are disclosed: 3 -> *, 9 -> 10.
    assert sorted(_chart(response, "by-borough").rows) == [["Camden", "*"], ["Haringey", 10]]


def test_filtering_to_a_borough_applies_disclosure_control_to_every_count(
    client, partnership_commissioner, camden_trust
):
    _conversations(camden_trust, 9)
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    response = client.get(URL, {"area": camden_trust.area_id})
    assert response.context["headlines"][0].value == 10
    assert "counts of 1 to 7 are shown as *" in response.content.decode()


def test_a_filter_link_without_a_period_shows_the_default_period_as_chosen(
    client, partnership_commissioner, camden_trust
):
    # Otherwise the form shows "Last 3 months" (the first option) over 12 months of figures,
    # and pressing "Apply filters" would change the period without the user choosing to.
    client.force_login(partnership_commissioner)
    response = client.get(URL, {"area": camden_trust.area_id})
    html = response.content.decode()
    assert re.search(r'<option value="12"\s+selected>Last 12 months</option>', html)
    assert not re.search(r'<option value="3"\s+selected>Last 3 months', html)
    assert response.context["form"].errors == {}


def test_filters_by_topic_staff_group_and_period(client, partnership_commissioner, camden_trust):
    smoking = ActivityTopicFactory(slug="smoking", name="Smoking")
    _conversations(camden_trust, 10, topic=smoking)
    _conversations(camden_trust, 20, staff_group=StaffGroup.MEDICAL)
    _conversations(camden_trust, 40, month=1)
    rollups_rebuild()
    client.force_login(partnership_commissioner)

    def total(**params):
        return client.get(URL, params).context["headlines"][0].value

    assert total() == 70
    assert total(topic=smoking.pk) == 10
    assert total(staff_group="medical") == 20
    assert total(period="3") == 30


def test_monthly_series_are_spc_charts_with_a_mean_and_limits(
    client, partnership_commissioner, camden_trust
):
    for month in range(1, 7):
        _conversations(camden_trust, 10 + month)
        ConversationFactory.create_batch(
            10 * month,
            author=UserFactory(organisation=camden_trust),
            occurred_at=timezone.make_aware(datetime.datetime(2026, month, 3)),
        )
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    response = client.get(URL, {"period": "6"})
    chart = _chart(response, "conversations-by-month")
    assert chart.kind == "spc"
    assert chart.data["mean"] > 0
    assert chart.data["upper"] > chart.data["mean"] >= chart.data["lower"]
    assert chart.variation  # the reading in words
    assert chart.headings == ["Month", "Number", "Special cause"]
    page = response.content.decode()
    # The chart's data travels in a JSON block, not an inline script.
    assert f'<script id="{chart.data_id}" type="application/json">' in page
    assert json.loads(page.split(f'id="{chart.data_id}" type="application/json">')[1].split("<")[0])
    assert 'role="img"' in page
    assert "<caption" in page


def test_a_monthly_series_with_suppressed_months_is_a_table_not_an_spc_chart(
    client, borough_commissioner, camden_trust
):
    _conversations(camden_trust, 3)
    rollups_rebuild()
    client.force_login(borough_commissioner)
    chart = _chart(client.get(URL, {"period": "3"}), "conversations-by-month")
    assert chart.kind == "table"
    assert ["May 2026", "*"] in chart.rows


def test_referral_outcomes_and_training_figures_come_from_the_rollups(
    client, partnership_commissioner, camden_trust
):
    conversation = _conversations(camden_trust, 1)[0]
    ReferralFactory(conversation=conversation, status="completed")
    learner = UserFactory(organisation=camden_trust, staff_group=StaffGroup.NURSING)
    CompletionFactory(learner=learner, completed_on=datetime.date(2026, 5, 2))
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    response = client.get(URL)
    assert _chart(response, "referral-outcomes").rows == [["Completed", 1]]
    labels = [h.label for h in response.context["headlines"]]
    assert "Courses completed" in labels
    trained = _chart(response, "trained-by-month")
    # June is still in progress: it is noted, not charted, so May is the last point.
    assert trained.data["labels"][-1] == "May 2026"
    assert trained.data["values"][-1] == 1
    assert "This month so far (Jun 2026): 0" in trained.summary


def test_the_page_says_how_fresh_its_data_is(client, partnership_commissioner):
    client.force_login(partnership_commissioner)
    assert "not been calculated yet" in client.get(URL).content.decode()
    rollups_rebuild(now=timezone.now() - datetime.timedelta(minutes=5))
    assert "Data up to 5\xa0minutes ago" in client.get(URL).content.decode()


def test_no_resident_details_appear_on_the_dashboard(
    client, partnership_commissioner, camden_trust
):
    conversation = _conversations(camden_trust, 1)[0]
    ReferralFactory(conversation=conversation, contact_name="Ada Resident")
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    page = client.get(URL).content.decode()
    assert "Ada Resident" not in page
    assert "07700 900123" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_dashboard_query_count_does_not_grow_with_the_data(
    client,
    partnership_commissioner,
    camden_trust,
    haringey_council,
    rows,
    django_assert_num_queries,
):
    topic = ActivityTopicFactory(slug="diet")
    for i in range(rows):
        org = camden_trust if i % 2 else haringey_council
        _conversations(org, 1, month=1 + i % 6, topic=topic, staff_group=list(StaffGroup)[i % 5])
        CompletionFactory(
            learner=UserFactory(organisation=org), completed_on=datetime.date(2026, 1 + i % 6, 3)
        )
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    client.get(URL)  # warm the session and content-type caches
    with django_assert_num_queries(QUERIES + session_reads()):
        client.get(URL, {"area": camden_trust.area_id, "topic": topic.pk})


QUERIES = 23  # without the session: see tests/query_budget.py


def test_the_same_view_again_comes_from_the_cache_until_the_rollups_change(
    client, partnership_commissioner, camden_trust, django_assert_max_num_queries, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 300  # off in the other tests (tests/settings.py)
    topic = ActivityTopicFactory(slug="diet")
    _conversations(camden_trust, 10, topic=topic)
    rollups_rebuild()
    client.force_login(partnership_commissioner)
    filters = {"area": camden_trust.area_id, "topic": topic.pk}
    first = client.get(URL, filters)
    with django_assert_max_num_queries(QUERIES - 8):  # no rollup reads at all
        again = client.get(URL, filters)
    assert again.context["headlines"] == first.context["headlines"]

    _conversations(camden_trust, 10, topic=topic)
    rollups_rebuild()  # a new watermark: the cached figures no longer apply
    after = client.get(URL, filters)
    assert after.context["headlines"] != first.context["headlines"]


def test_commissioners_find_the_dashboard_benchmark_and_reports_from_home(
    client, partnership_commissioner, make_user, camden_trust
):
    client.force_login(partnership_commissioner)
    page = client.get(reverse("home")).content.decode()
    for url in ("evaluation:dashboard", "evaluation:benchmark", "evaluation:reports"):
        assert f'href="{reverse(url)}"' in page
    assert "Benchmark the boroughs" in page
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert reverse("evaluation:dashboard") not in client.get(reverse("home")).content.decode()


def test_an_spc_chart_draws_the_mean_and_limits_its_words_give():
    """The line drawn and the text alternative carry one figure, rounded once.

    Eleven months totalling 115 have a mean of 10.4545...: rounding that to 10.45 for the
    chart and then to one place for the words would say 10.4 beside a line at 10.45.
    """
    from evaluation.presenters.dashboard import Discloser, spc

    months = [datetime.date(2025, m, 1) for m in range(1, 12)]
    chart = spc("x", "Conversations", months, [10] * 6 + [11] * 5, Discloser(raw=True))
    assert chart.kind == "spc"
    for key in ("mean", "upper", "lower"):
        assert f"{chart.data[key]:,.1f}" in chart.summary, key
    assert chart.data["mean"] == 10.5


def test_a_bar_chart_reads_a_suppressed_count_out_as_what_it_means():
    """Screen readers would say "Sent star": the text alternative says 1 to 7 instead."""
    from evaluation.presenters.dashboard import BELOW, bar_chart

    chart = bar_chart("x", "Referral outcomes", "Outcome", [("Sent", 3), ("Completed", 41)], BELOW)
    assert chart.kind == "bar"
    assert chart.rows == [["Sent", "*"], ["Completed", 40]]
    assert chart.summary == "Bar chart. Referral outcomes: Sent 1 to 7, Completed 40."
    assert chart.data["values"] == [None, 40]


def test_a_bar_chart_with_every_count_suppressed_is_a_table_not_an_empty_chart():
    from evaluation.presenters.dashboard import BELOW, bar_chart

    chart = bar_chart("x", "Referral outcomes", "Outcome", [("Sent", 3), ("Declined", 5)], BELOW)
    assert chart.kind == "table"
    assert chart.rows == [["Sent", "*"], ["Declined", "*"]]
    assert "every figure is between 1 and 7" in chart.summary


def test_the_month_in_progress_is_read_out_in_words_when_suppressed():
    from evaluation.presenters.dashboard import BELOW, spc

    months = [datetime.date(2025, m, 1) for m in range(1, 8)]
    chart = spc("x", "Conversations", months, [40] * 6 + [2], BELOW, partial_last=True)
    assert chart.kind == "spc"
    assert chart.summary.endswith("This month so far (Jul 2025): 1 to 7.")
