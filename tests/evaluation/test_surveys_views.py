"""The learner's survey pages and the trainer's evaluation results, as owner, colleague and
outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from evaluation.models import Invitation, Survey, SurveyKind, SurveyResponse
from tests.evaluation.survey_support import attended, invitation, past_session, respond
from tests.training.factories import SessionFactory
from tests.training.support import queries_for
from training.services.reminders import evaluation_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_invitation(camden_trust):
    return invitation(attended(past_session(organisation=camden_trust)), SurveyKind.POST_COURSE)


def take_url(made: Invitation) -> str:
    return reverse("evaluation:survey_take", args=[made.token])


def valid_post_answers(made: Invitation) -> dict[str, str]:
    data = {}
    for question in made.survey.questions.all():
        if question.kind == "likert":
            data[f"question_{question.pk}"] = "4"
        elif question.kind == "yes_no":
            data[f"question_{question.pk}"] = "1"
    return data


def test_the_learner_sees_their_survey_as_nhs_radios_in_fieldsets(client, post_invitation):
    client.force_login(post_invitation.learner)
    response = client.get(take_url(post_invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>After your course \u2013 MECC Portal</title>" in html
    assert html.count('<fieldset class="nhsuk-fieldset"') == 5
    assert 'class="nhsuk-radios__input"' in html
    assert "5: Very confident" in html


def test_missing_answers_are_listed_in_the_error_summary_and_nothing_is_saved(
    client, post_invitation
):
    client.force_login(post_invitation.learner)
    data = valid_post_answers(post_invitation)
    satisfaction = post_invitation.survey.questions.get(measure="satisfaction")
    del data[f"question_{satisfaction.pk}"]
    response = client.post(take_url(post_invitation), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Select an answer to: Overall, how satisfied are you with the course?" in html
    assert f'href="#id_question_{satisfaction.pk}_0"' in html
    assert "<title>Error: After your course" in html
    assert not SurveyResponse.objects.exists()


def test_the_learner_submits_once_and_a_second_submission_is_refused_clearly(
    client, post_invitation
):
    client.force_login(post_invitation.learner)
    data = valid_post_answers(post_invitation)
    response = client.post(take_url(post_invitation), data)
    assert response["Location"] == reverse("evaluation:survey_done", args=[post_invitation.token])
    assert "Thank you for your answers" in client.get(response["Location"]).content.decode()
    again = client.post(take_url(post_invitation), data)
    assert again.status_code == 409
    assert "You have already answered this survey" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_colleague_cannot_open_someone_elses_survey(client, post_invitation, make_user):
    colleague = make_user(Role.FRONTLINE_WORKER, post_invitation.organisation)
    client.force_login(colleague)
    assert client.get(take_url(post_invitation)).status_code == 404
    assert client.post(take_url(post_invitation), {}).status_code == 404


def test_a_signed_out_visitor_is_asked_to_sign_in(client, post_invitation):
    response = client.get(take_url(post_invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_post_course_link_from_the_training_email_opens_the_learners_survey(client):
    booking = attended(past_session())
    client.force_login(booking.learner)
    response = client.get(reverse("evaluation:post_course_survey", args=[booking.pk]))
    made = Invitation.objects.get(learner=booking.learner, kind=SurveyKind.POST_COURSE)
    assert response["Location"] == take_url(made)


def test_the_post_course_link_is_a_404_for_anyone_but_the_learner(client, make_user):
    booking = attended(past_session())
    client.force_login(make_user())
    response = client.get(reverse("evaluation:post_course_survey", args=[booking.pk]))
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_your_surveys_lists_open_ones_in_constant_queries(client, make_user):
    learner = make_user(Role.FRONTLINE_WORKER)
    url = reverse("evaluation:my_surveys")
    client.force_login(learner)
    invitation(attended(past_session(), learner=learner), SurveyKind.POST_COURSE)
    one = queries_for(client, url)
    for _ in range(49):
        invitation(attended(past_session(), learner=learner), SurveyKind.POST_COURSE)
    assert queries_for(client, url) == one
    assert client.get(url).content.decode().count("After your course:") == 50


def answered_session(trainer, organisation, *, people: int):
    session = past_session(organisation=organisation, trainers=[trainer])
    for index in range(people):
        booking = attended(session)
        pre = invitation(booking, SurveyKind.PRE_COURSE)
        respond(pre, confidence_raise_health=2, knowledge_local_services=3)
        post = invitation(booking, SurveyKind.POST_COURSE)
        respond(
            post,
            confidence_raise_health=4,
            knowledge_local_services=4,
            satisfaction=5,
            would_recommend=1 if index else 0,
        )
    return session


def test_the_trainer_sees_matched_means_and_disclosed_counts(client, make_user, camden_trust):
    trainer = make_user(Role.TRAINER, camden_trust)
    session = answered_session(trainer, camden_trust, people=10)
    attended(session)  # one learner who never answered
    invitation(session.bookings.last(), SurveyKind.POST_COURSE)
    client.force_login(trainer)
    response = client.get(reverse("evaluation:session_results", args=[session.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    # 10 of 11 answered after the course: both rounded to 10, never the exact numbers.
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">10</td>' in text
    assert "91%" in text
    assert "+2.0" in text  # confidence 2 -> 4
    assert "+1.0" in text  # knowledge 3 -> 4
    assert "5.0 (10 answers)" in text
    assert "90% (10 answers)" in text


def test_small_numbers_are_shown_as_a_star(client, make_user, camden_trust):
    trainer = make_user(Role.TRAINER, camden_trust)
    session = answered_session(trainer, camden_trust, people=3)
    client.force_login(trainer)
    text = client.get(reverse("evaluation:session_results", args=[session.pk])).content.decode()
    assert "(* answers)" in text
    assert "Not shown" in text  # a percentage of 3 would reveal the count


def test_a_colleague_trainer_sees_their_organisations_session(client, make_user, camden_trust):
    owner = make_user(Role.TRAINER, camden_trust)
    session = answered_session(owner, camden_trust, people=1)
    client.force_login(make_user(Role.TRAINER, camden_trust))
    assert client.get(reverse("evaluation:session_results", args=[session.pk])).status_code == 200


def test_an_outsider_trainer_gets_a_404(client, make_user, camden_trust, haringey_council):
    owner = make_user(Role.TRAINER, camden_trust)
    session = answered_session(owner, camden_trust, people=1)
    client.force_login(make_user(Role.TRAINER, haringey_council))
    assert client.get(reverse("evaluation:session_results", args=[session.pk])).status_code == 404


def test_a_learner_cannot_see_trainer_results(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(reverse("evaluation:session_results_list")).status_code == 404


def test_the_results_list_shows_response_rates_in_constant_queries(client, make_user, camden_trust):
    trainer = make_user(Role.TRAINER, camden_trust)
    client.force_login(trainer)
    url = reverse("evaluation:session_results_list")
    invitation(attended(past_session(organisation=camden_trust)), SurveyKind.POST_COURSE)
    one = queries_for(client, url)
    for _ in range(49):
        invitation(attended(past_session(organisation=camden_trust)), SurveyKind.POST_COURSE)
    assert queries_for(client, url) == one
    text = client.get(url).content.decode()
    assert text.count("evaluation/session-results/") == 50
    assert "0 of *" in text  # one invited, nobody has answered


def test_sessions_not_started_are_not_listed(client, make_user, camden_trust):
    trainer = make_user(Role.TRAINER, camden_trust)
    SessionFactory(organisation=camden_trust, starts_at=timezone.now() + timedelta(days=3))
    client.force_login(trainer)
    assert (
        "You have not run any sessions yet"
        in client.get(reverse("evaluation:session_results_list")).content.decode()
    )


def test_trainings_post_course_email_links_to_the_learners_survey():
    booking = attended(past_session())
    assert evaluation_url(booking).endswith(
        reverse("evaluation:post_course_survey", args=[booking.pk])
    )


def test_an_administrator_can_edit_the_questions(client, make_user, partnership):
    admin = make_user(Role.ADMINISTRATOR, partnership, with_mfa=True, is_staff=True)
    client.force_login(admin)
    survey = Survey.objects.get(kind=SurveyKind.POST_COURSE, programme=None)
    response = client.get(reverse("admin:evaluation_survey_change", args=[survey.pk]))
    assert response.status_code == 200
    assert survey.questions.first().text in response.content.decode()
