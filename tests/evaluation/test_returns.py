from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Organisation, Role
from core.models import AuditEvent, OutboxMessage
from evaluation import services
from evaluation.models import OrganisationReturn
from evaluation.services import ReturnError
from tests.evaluation.factories import OrganisationReturnFactory, ReturnPeriodFactory
from tests.evaluation.support import queries_for
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "programmes": ["mhfa", "mecc"],
    "delivery": "MECC level 1 monthly; MHFA twice a year",
    "people_trained": 42,
    "trainers_now": 3,
    "budget_now_pounds": 12000,
    "training_hours_now": 300,
    "trainers_next_year": 5,
    "budget_next_year_pounds": 15000,
    "training_hours_next_year": 400,
    "plans_and_priorities": "Every ward by March",
    "joint_working": "Shared trainers with Camden Council",
    "evaluations_done": "Pre and post-course surveys",
}


@pytest.fixture
def period():
    return ReturnPeriodFactory(name="2026 to 2027")


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


@pytest.fixture
def commissioner(make_user, camden):
    return make_user(Role.COMMISSIONER, camden, with_mfa=True)


def edit_url(organisation, period):
    return reverse(
        "evaluation:return_edit",
        kwargs={"organisation_id": organisation.pk, "period_id": period.pk},
    )


def form_data(button="submit", **overrides):
    answers = {**ANSWERS, **overrides}
    data = {k: "" if v is None else v for k, v in answers.items()}
    data[button] = "1"
    return data


# --- services ---------------------------------------------------------------------------


def test_submitting_a_return_saves_it_read_only_and_audits(lead, camden_trust, period):
    saved = services.return_submit(
        actor=lead, organisation=camden_trust, period=period, answers=ANSWERS
    )
    assert saved.is_submitted
    assert saved.submitted_by == lead
    assert saved.programmes == ["mecc", "mhfa"]  # stored in a fixed order
    assert AuditEvent.objects.filter(action="evaluation.return_submitted").count() == 1
    with pytest.raises(ReturnError, match="submitted"):
        services.return_save_draft(
            actor=lead, organisation=camden_trust, period=period, answers={"delivery": "x"}
        )
    assert OrganisationReturn.objects.get().delivery == ANSWERS["delivery"]


def test_an_incomplete_return_cannot_be_submitted(lead, camden_trust, period):
    with pytest.raises(ReturnError):
        services.return_submit(
            actor=lead,
            organisation=camden_trust,
            period=period,
            answers={**ANSWERS, "joint_working": ""},
        )
    assert not OrganisationReturn.objects.exists()  # nothing half-saved


def test_reopening_puts_it_back_to_draft_audits_the_reason_and_emails_the_lead(
    lead, commissioner, camden_trust, period
):
    submitted = services.return_submit(
        actor=lead, organisation=camden_trust, period=period, answers=ANSWERS
    )
    services.return_reopen(
        actor=commissioner, organisation_return=submitted, reason="Budget looks like last year's"
    )
    submitted.refresh_from_db()
    assert submitted.status == OrganisationReturn.Status.DRAFT
    assert submitted.reopened_by == commissioner
    event = AuditEvent.objects.get(action="evaluation.return_reopened")
    assert event.details["reason"] == "Budget looks like last year's"
    message = OutboxMessage.objects.get(idempotency_key__startswith="evaluation:return-reopened:")
    assert message.recipients == [lead.email]
    assert "Budget looks like last year's" in message.body_text
    with pytest.raises(ReturnError):
        services.return_reopen(actor=commissioner, organisation_return=submitted, reason="again")


# --- training lead pages ----------------------------------------------------------------


def test_training_lead_saves_a_draft_then_submits(client, lead, camden_trust, period):
    client.force_login(lead)
    response = client.post(
        edit_url(camden_trust, period), form_data("save", joint_working="", people_trained=None)
    )
    assert response.status_code == 302
    draft = OrganisationReturn.objects.get()
    assert draft.status == OrganisationReturn.Status.DRAFT
    assert draft.people_trained is None
    page = client.get(edit_url(camden_trust, period)).content.decode()
    assert "Every ward by March" in page

    response = client.post(edit_url(camden_trust, period), form_data())
    submitted = OrganisationReturn.objects.get()
    assert response["Location"] == reverse("evaluation:return_detail", kwargs={"pk": submitted.pk})
    assert submitted.is_submitted
    assert submitted.people_trained == 42


def test_a_submitted_return_is_read_only_for_its_lead(client, lead, camden_trust, period):
    ret = OrganisationReturnFactory(
        organisation=camden_trust,
        period=period,
        status=OrganisationReturn.Status.SUBMITTED,
        submitted_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    client.force_login(lead)
    response = client.get(edit_url(camden_trust, period))
    assert response["Location"] == reverse("evaluation:return_detail", kwargs={"pk": ret.pk})
    response = client.post(edit_url(camden_trust, period), form_data(delivery="Changed"))
    ret.refresh_from_db()
    assert ret.delivery != "Changed"
    detail = client.get(reverse("evaluation:return_detail", kwargs={"pk": ret.pk}))
    content = detail.content.decode()
    assert "Reopen this return" not in content
    assert ">42<" in content  # the lead sees their own figures unrounded


def test_submitting_with_gaps_lists_every_gap_in_the_error_summary(
    client, lead, camden_trust, period
):
    client.force_login(lead)
    response = client.post(
        edit_url(camden_trust, period),
        form_data(delivery="", trainers_next_year=None, budget_now_pounds="lots"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("nhsuk-error-summary__heading") == 1
    assert "<title>Error: Return for 2026 to 2027" in content
    assert 'href="#id_delivery">Enter what your organisation delivers' in content
    assert "Enter how many trainers you expect to have next year" in content
    assert "Enter the budget as a whole number, like 12" in content
    assert not OrganisationReturn.objects.exists()


def test_a_training_lead_elsewhere_gets_404(
    client, make_user, haringey_council, camden_trust, period
):
    ret = OrganisationReturnFactory(organisation=camden_trust, period=period)
    client.force_login(make_user(Role.TRAINING_LEAD, haringey_council, with_mfa=True))
    assert client.get(edit_url(camden_trust, period)).status_code == 404
    assert client.post(edit_url(camden_trust, period), form_data()).status_code == 404
    assert client.get(reverse("evaluation:return_detail", kwargs={"pk": ret.pk})).status_code == 404


def test_a_frontline_colleague_gets_404(client, make_user, camden_trust, period):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(reverse("evaluation:returns")).status_code == 404
    assert client.get(edit_url(camden_trust, period)).status_code == 404
    assert client.get(reverse("evaluation:returns_summary")).status_code == 404


def test_returns_list_shows_each_period_with_its_status(client, lead, camden_trust):
    old = ReturnPeriodFactory(
        name="2025 to 2026",
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
        deadline=datetime.date(2026, 4, 30),
    )
    new = ReturnPeriodFactory(name="2026 to 2027")
    OrganisationReturnFactory(
        organisation=camden_trust,
        period=old,
        status=OrganisationReturn.Status.SUBMITTED,
        submitted_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    client.force_login(lead)
    content = client.get(reverse("evaluation:returns")).content.decode()
    assert content.index("2026 to 2027") < content.index("2025 to 2026")
    assert "Submitted" in content
    assert "Not started" in content
    assert edit_url(camden_trust, new) in content


def test_returns_list_query_count_does_not_grow_with_periods(
    client, lead, django_assert_num_queries
):
    ReturnPeriodFactory()
    client.force_login(lead)
    url = reverse("evaluation:returns")
    at_one = queries_for(client, url)
    for _ in range(49):
        ReturnPeriodFactory()
    with django_assert_num_queries(at_one):
        response = client.get(url)
    assert len(response.context["rows"]) == 50


# --- commissioners ---------------------------------------------------------------------


def test_commissioner_summary_shows_who_submitted_with_disclosed_people_counts(
    client, commissioner, camden, camden_trust, haringey_council, period
):
    camden_council = OrganisationFactory(name="Camden Council", area=camden)
    OrganisationFactory(name="Camden Hospice", area=camden)
    for organisation, trained, trainers in ((camden_trust, 42, 3), (camden_council, 6, 9)):
        OrganisationReturnFactory(
            organisation=organisation,
            period=period,
            people_trained=trained,
            trainers_now=trainers,
            status=OrganisationReturn.Status.SUBMITTED,
            submitted_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        )
    OrganisationReturnFactory(organisation=haringey_council, period=period)
    client.force_login(commissioner)
    response = client.get(reverse("evaluation:returns_summary"), {"period": period.pk})
    content = response.content.decode()
    assert "2 of 3 organisations have submitted" in content
    assert "Haringey Council" not in content
    rows = {r.row.organisation.name: r for r in response.context["summary"].rows}
    assert rows["Camden Trust"].figures.people_trained == "40"  # 42 rounded to nearest 5
    assert rows["Camden Trust"].figures.trainers_now == "*"  # 3 suppressed
    assert rows["Camden Council"].figures.people_trained == "*"
    assert rows["Camden Council"].figures.trainers_now == "10"
    assert rows["Camden Hospice"].status.label == "Not started"
    totals = response.context["summary"].totals
    assert totals.people_trained == "50"  # 48 unrounded, then rounded
    assert totals.trainers_now == "10"  # 12 unrounded, then rounded
    assert totals.budget_now == "£24,000"
    assert ">42<" not in content


def test_commissioner_sees_a_return_with_people_counts_disclosed(
    client, commissioner, camden_trust, period
):
    ret = OrganisationReturnFactory(
        organisation=camden_trust,
        period=period,
        trainers_now=3,
        status=OrganisationReturn.Status.SUBMITTED,
        submitted_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    client.force_login(commissioner)
    response = client.get(reverse("evaluation:return_detail", kwargs={"pk": ret.pk}))
    assert response.context["figures"].trainers_now == "*"
    assert "Reopen this return" in response.content.decode()


def test_commissioner_reopens_a_return_with_a_reason(
    client, commissioner, lead, camden_trust, period
):
    ret = services.return_submit(
        actor=lead, organisation=camden_trust, period=period, answers=ANSWERS
    )
    client.force_login(commissioner)
    url = reverse("evaluation:return_reopen", kwargs={"pk": ret.pk})
    response = client.post(url, {"reason": ""})
    assert "Enter why you are reopening the return" in response.content.decode()
    response = client.post(url, {"reason": "Hours look wrong"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == OrganisationReturn.Status.DRAFT
    client.force_login(lead)
    page = client.get(edit_url(camden_trust, period)).content.decode()
    assert "Hours look wrong" in page


def test_a_commissioner_elsewhere_cannot_see_or_reopen(
    client, make_user, haringey, camden_trust, period
):
    ret = OrganisationReturnFactory(
        organisation=camden_trust,
        period=period,
        status=OrganisationReturn.Status.SUBMITTED,
        submitted_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    client.force_login(make_user(Role.COMMISSIONER, haringey, with_mfa=True))
    assert client.get(reverse("evaluation:return_detail", kwargs={"pk": ret.pk})).status_code == 404
    url = reverse("evaluation:return_reopen", kwargs={"pk": ret.pk})
    assert client.post(url, {"reason": "No"}).status_code == 404
    ret.refresh_from_db()
    assert ret.is_submitted


def test_a_training_lead_cannot_reopen_their_own_return(client, lead, camden_trust, period):
    ret = services.return_submit(
        actor=lead, organisation=camden_trust, period=period, answers=ANSWERS
    )
    client.force_login(lead)
    url = reverse("evaluation:return_reopen", kwargs={"pk": ret.pk})
    assert client.post(url, {"reason": "Oops"}).status_code == 404


def test_a_bad_period_in_the_summary_is_an_error_not_a_crash(client, commissioner, period):
    client.force_login(commissioner)
    response = client.get(reverse("evaluation:returns_summary"), {"period": "nonsense"})
    assert response.status_code == 200
    assert "Select a period from the list" in response.content.decode()


def test_summary_query_count_does_not_grow_with_organisations(
    client, make_user, partnership, camden, period, django_assert_num_queries
):
    commissioner = make_user(Role.COMMISSIONER, partnership, with_mfa=True)
    OrganisationReturnFactory(organisation=OrganisationFactory(area=camden), period=period)
    client.force_login(commissioner)
    url = reverse("evaluation:returns_summary") + f"?period={period.pk}"
    at_one = queries_for(client, url)
    for _ in range(49):
        OrganisationReturnFactory(
            organisation=OrganisationFactory(area=camden),
            period=period,
            status=OrganisationReturn.Status.SUBMITTED,
            submitted_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        )
    with django_assert_num_queries(at_one):
        response = client.get(url)
    assert len(response.context["summary"].rows) == 50


# --- reminders -------------------------------------------------------------------------


def test_reminders_go_14_days_before_the_deadline_once_per_organisation(
    make_user, lead, camden_trust, haringey_council, camden
):
    period = ReturnPeriodFactory(deadline=datetime.date(2027, 4, 30))
    second_lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    make_user(Role.TRAINING_LEAD, haringey_council, with_mfa=True)
    done: Organisation = OrganisationFactory(area=camden)
    done_lead = make_user(Role.TRAINING_LEAD, done, with_mfa=True)
    services.return_submit(actor=done_lead, organisation=done, period=period, answers=ANSWERS)

    with time_machine.travel(datetime.datetime(2027, 4, 15, 9, 0, tzinfo=datetime.UTC)):
        assert services.return_reminders_send() == 0  # 15 days to go
    with time_machine.travel(datetime.datetime(2027, 4, 16, 9, 0, tzinfo=datetime.UTC)):
        assert services.return_reminders_send() == 2
        assert services.return_reminders_send() == 0  # run again: nothing new
    with time_machine.travel(datetime.datetime(2027, 4, 20, 9, 0, tzinfo=datetime.UTC)):
        assert services.return_reminders_send() == 0
    with time_machine.travel(datetime.datetime(2027, 5, 1, 9, 0, tzinfo=datetime.UTC)):
        assert services.return_reminders_send() == 0  # deadline passed

    messages = OutboxMessage.objects.filter(
        idempotency_key__startswith="evaluation:return-reminder:"
    )
    assert messages.count() == 2
    camden_message = messages.get(
        idempotency_key=f"evaluation:return-reminder:{period.pk}:{camden_trust.pk}"
    )
    assert sorted(camden_message.recipients) == sorted([lead.email, second_lead.email])
    assert "30 April 2027" in camden_message.subject
    assert edit_url(camden_trust, period) in camden_message.body_text
    assert not messages.filter(idempotency_key__endswith=f":{done.pk}").exists()


def test_the_reminder_task_is_scheduled_and_runs_the_service(settings, lead):
    from evaluation.tasks import return_reminders_task

    schedule = settings.CELERY_BEAT_SCHEDULE["organisation-return-reminders"]
    assert schedule["task"] == "evaluation.tasks.return_reminders_task"
    ReturnPeriodFactory(deadline=datetime.date(2027, 4, 30))
    with time_machine.travel(datetime.datetime(2027, 4, 20, 9, 0, tzinfo=datetime.UTC)):
        assert return_reminders_task.apply().get() == 1


def test_an_administrator_can_reopen_too(
    client, make_user, partnership, lead, camden_trust, period
):
    ret = services.return_submit(
        actor=lead, organisation=camden_trust, period=period, answers=ANSWERS
    )
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    url = reverse("evaluation:return_reopen", kwargs={"pk": ret.pk})
    assert client.post(url, {"reason": "Duplicate figures"}).status_code == 302
    ret.refresh_from_db()
    assert ret.status == OrganisationReturn.Status.DRAFT


def test_the_summary_opens_on_the_period_due_next(client, commissioner):
    ReturnPeriodFactory(name="Last year", deadline=datetime.date(2026, 4, 30))
    ReturnPeriodFactory(name="Due next", deadline=datetime.date(2026, 11, 30))
    ReturnPeriodFactory(name="Later", deadline=datetime.date(2027, 4, 30))
    client.force_login(commissioner)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        response = client.get(reverse("evaluation:returns_summary"))
    assert response.context["period"].name == "Due next"
