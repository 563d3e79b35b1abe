"""Logging, listing and correcting conversations, signposts, and who may see them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from referrals.models import Conversation, Referral, Service
from referrals.services import conversations as services
from tests.referrals.activity_factories import (
    ActivityServiceFactory,
    Cast,
    ConversationFactory,
    build_cast,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user, camden_trust, haringey_council, partnership) -> Cast:
    return build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )


def _log_data(cast: Cast, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "topics": [cast.topic.pk],
        "area": cast.worker.organisation.area_id,
        "mecc_level": "very_brief_advice",
        "outcome": "signposted",
        "setting": "outpatients",
    }
    data.update(extra)
    return data


# --- Logging ------------------------------------------------------------------------------


def test_a_worker_logs_a_conversation_with_a_signpost_and_nothing_about_the_resident(client, cast):
    client.force_login(cast.worker)
    response = client.post(
        reverse("referrals:conversation_log"),
        _log_data(cast, signposts=[str(cast.signpost_service.uuid)], save="1"),
    )
    conversation = Conversation.objects.exclude(pk=cast.conversation.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:conversation_detail", args=[conversation.uuid])
    assert conversation.organisation == cast.worker.organisation
    assert list(conversation.topics.all()) == [cast.topic]
    signpost = conversation.referrals.get()
    assert signpost.kind == Referral.Kind.SIGNPOST
    assert signpost.service == cast.signpost_service
    assert signpost.contact_name == "" and signpost.consent_given_at is None
    assert AuditEvent.objects.filter(action="conversation.logged").count() == 1


def test_save_and_log_another_returns_to_an_empty_form(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referrals:conversation_log"), _log_data(cast, another="1"))
    assert response.status_code == 302
    assert response.url == reverse("referrals:conversation_log")
    page = client.get(response.url)
    assert "Conversation saved" in page.content.decode()


def test_the_log_form_defaults_the_borough_to_the_workers_organisation(client, cast):
    client.force_login(cast.worker)
    response = client.get(reverse("referrals:conversation_log"))
    assert response.status_code == 200
    assert response.context["form"].initial["area"] == cast.worker.organisation.area_id


def test_a_conversation_without_topics_shows_the_error_summary_and_saves_nothing(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referrals:conversation_log"), _log_data(cast, topics=[]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "nhsuk-error-summary" in body
    assert "Select at least one topic you talked about" in body
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("postcode", ["N17 9LT", "NW109QX", "ABC", "1N"])
def test_a_full_or_malformed_postcode_is_refused(client, cast, postcode):
    client.force_login(cast.worker)
    response = client.post(
        reverse("referrals:conversation_log"), _log_data(cast, postcode_district=postcode)
    )
    assert response.status_code == 200
    assert "first part" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_a_postcode_district_is_stored_upper_case(client, cast):
    client.force_login(cast.worker)
    client.post(reverse("referrals:conversation_log"), _log_data(cast, postcode_district="nw10"))
    assert Conversation.objects.exclude(pk=cast.conversation.pk).get().postcode_district == "NW10"


def test_find_services_without_javascript_shows_matches_and_saves_nothing(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referrals:conversation_log"), _log_data(cast, find="1"))
    assert response.status_code == 200
    assert cast.service in response.context["matching_services"]
    assert "nhsuk-error-summary" not in response.content.decode()
    assert Conversation.objects.count() == 1


def test_the_services_partial_puts_urgent_support_first(client, cast):
    crisis = ActivityServiceFactory(
        name="Zebra crisis line", provider=cast.provider_org, topics=[cast.urgent_topic]
    )
    client.force_login(cast.worker)
    response = client.get(
        reverse("referrals:conversation_services"),
        {"topics": [cast.topic.pk, cast.urgent_topic.pk], "area": cast.worker.organisation.area_id},
    )
    services_found = response.context["matching_services"]
    assert services_found[0] == crisis
    assert cast.service in services_found
    assert "<html" not in response.content.decode()


def test_services_not_serving_the_borough_are_left_out(client, cast, haringey):
    elsewhere = ActivityServiceFactory(
        provider=cast.provider_org, topics=[cast.topic], areas=[haringey]
    )
    client.force_login(cast.worker)
    response = client.get(
        reverse("referrals:conversation_services"),
        {"topics": [cast.topic.pk], "area": cast.worker.organisation.area_id},
    )
    assert elsewhere not in response.context["matching_services"]
    assert cast.signpost_service in response.context["matching_services"]  # serves everywhere


def test_a_commissioner_cannot_log_conversations(client, cast):
    client.force_login(cast.commissioner)
    assert client.get(reverse("referrals:conversation_log")).status_code == 403


# --- Signposting from the conversation page ----------------------------------------------


def test_one_tap_records_a_signpost_once(client, cast):
    client.force_login(cast.worker)
    url = reverse(
        "referrals:signpost_create", args=[cast.conversation.uuid, cast.signpost_service.uuid]
    )
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert cast.conversation.referrals.filter(kind=Referral.Kind.SIGNPOST).count() == 1


@pytest.mark.parametrize("who", ["colleague", "outsider", "lead", "provider"])
def test_only_the_author_can_signpost_from_a_conversation(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse(
        "referrals:signpost_create", args=[cast.conversation.uuid, cast.signpost_service.uuid]
    )
    assert client.post(url).status_code in (403, 404)
    assert not cast.conversation.referrals.filter(kind=Referral.Kind.SIGNPOST).exists()


# --- Seeing conversations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("lead", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("provider", 404),
        ("commissioner", 404),
    ],
)
def test_who_can_see_a_conversation(client, cast, who, status):
    client.force_login(getattr(cast, who))
    url = reverse("referrals:conversation_detail", args=[cast.conversation.uuid])
    assert client.get(url).status_code == status


def test_my_conversations_lists_only_my_own(client, cast):
    ConversationFactory(author=cast.colleague, topics=[cast.topic])
    client.force_login(cast.worker)
    response = client.get(reverse("referrals:conversation_list"))
    assert list(response.context["page"].object_list) == [cast.conversation]


def test_the_organisation_list_is_for_training_leads_of_that_organisation(client, cast):
    ConversationFactory(author=cast.colleague, topics=[cast.topic])
    ConversationFactory(author=cast.outsider, topics=[cast.topic])
    client.force_login(cast.lead)
    response = client.get(reverse("referrals:organisation_conversations"))
    authors = {c.author for c in response.context["page"].object_list}
    assert authors == {cast.worker, cast.colleague}
    for who in ("worker", "provider", "commissioner"):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("referrals:organisation_conversations")).status_code == 403


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["conversation_list", "organisation_conversations"])
def test_conversation_lists_use_the_same_number_of_queries_for_1_and_50_rows(
    client, cast, django_assert_num_queries, url_name
):
    user = cast.lead if url_name == "organisation_conversations" else cast.worker
    client.force_login(user)
    url = reverse(f"referrals:{url_name}")
    client.get(url)  # warm the session and per-user caches
    one = _count_queries(client, url)
    for _ in range(49):
        ConversationFactory(author=cast.worker, topics=[cast.topic])
    with django_assert_num_queries(one):
        client.get(url)


# --- Correcting ---------------------------------------------------------------------------


def _correction(cast: Cast) -> dict[str, object]:
    return {
        "topics": [cast.topic.pk, cast.urgent_topic.pk],
        "mecc_level": "brief_intervention",
        "outcome": "referred",
        "setting": "pharmacy",
    }


def test_the_author_can_correct_a_conversation_within_24_hours(client, cast):
    with time_machine.travel(cast.conversation.created_at + datetime.timedelta(hours=23)):
        client.force_login(cast.worker)  # sessions end after 12 hours
        response = client.post(
            reverse("referrals:conversation_edit", args=[cast.conversation.uuid]), _correction(cast)
        )
    assert response.status_code == 302
    cast.conversation.refresh_from_db()
    assert cast.conversation.mecc_level == "brief_intervention"
    assert cast.conversation.topics.count() == 2
    assert AuditEvent.objects.filter(action="conversation.corrected").exists()


def test_after_24_hours_the_conversation_is_read_only(client, cast):
    with time_machine.travel(cast.conversation.created_at + datetime.timedelta(hours=25)):
        client.force_login(cast.worker)
        response = client.post(
            reverse("referrals:conversation_edit", args=[cast.conversation.uuid]), _correction(cast)
        )
        detail = client.get(reverse("referrals:conversation_detail", args=[cast.conversation.uuid]))
    assert response.status_code == 302
    assert response.url == reverse("referrals:conversation_detail", args=[cast.conversation.uuid])
    cast.conversation.refresh_from_db()
    assert cast.conversation.mecc_level == "very_brief_advice"
    assert detail.status_code == 200
    assert "Correct this conversation" not in detail.content.decode()
    with (
        time_machine.travel(cast.conversation.created_at + datetime.timedelta(hours=25)),
        pytest.raises(services.ConversationLocked),
    ):
        services.conversation_update(
            conversation=cast.conversation, actor=cast.worker, setting="other",
            mecc_level="brief_advice", outcome="declined", topics=[cast.topic],
        )  # fmt: skip


@pytest.mark.parametrize("who", ["colleague", "outsider", "lead", "provider"])
def test_nobody_else_can_correct_a_conversation(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("referrals:conversation_edit", args=[cast.conversation.uuid]), _correction(cast)
    )
    assert response.status_code in (403, 404)
    cast.conversation.refresh_from_db()
    assert cast.conversation.mecc_level == "very_brief_advice"


# --- Sharing a service ---------------------------------------------------------------------


def test_the_share_card_has_an_inline_qr_code_without_style_attributes(client, cast):
    client.force_login(cast.worker)
    response = client.get(reverse("referrals:service_share", args=[cast.service.uuid]))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="referrals-qr-code" role="img"' in body
    assert "style=" not in body
    assert "<?xml" not in body


def test_the_short_link_goes_to_the_public_listing_without_signing_in(client, cast):
    client.force_login(cast.worker)
    short_url = client.get(reverse("referrals:service_share", args=[cast.service.uuid])).context[
        "short_url"
    ]
    client.logout()
    response = client.get(short_url)
    assert response.status_code == 302
    assert response.url == reverse("referrals:service_public", args=[cast.service.uuid])
    assert client.get(reverse("referrals:service_short_link", args=["zzzzzz"])).status_code == 404


def test_sharing_a_service_stores_nothing(client, cast):
    client.force_login(cast.worker)
    before = (Conversation.objects.count(), Referral.objects.count(), AuditEvent.objects.count())
    client.get(reverse("referrals:service_share", args=[cast.service.uuid]))
    assert before == (
        Conversation.objects.count(),
        Referral.objects.count(),
        AuditEvent.objects.count(),
    )


def test_an_inactive_service_cannot_be_shared(client, cast):
    Service.objects.filter(pk=cast.service.pk).update(status=Service.Status.DEFUNCT)
    client.force_login(cast.worker)
    assert (
        client.get(reverse("referrals:service_share", args=[cast.service.uuid])).status_code == 404
    )


def test_logging_a_conversation_reads_and_writes_only_what_it_needs(client, cast):
    """The hot path's statements, by table (docs/performance.md): no organisation read (the
    role memberships bring it), no signpost query when there are none, no session write."""
    import re

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Conversation)  # cached per process, as in a server
    client.force_login(cast.worker)
    assert client.get(reverse("referrals:conversation_log")).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("referrals:conversation_log"), _log_data(cast, another="1"))
    assert response.status_code == 302
    reads: list[str] = []
    writes: list[str] = []
    for query in captured.captured_queries:
        sql = query["sql"]
        # On PostgreSQL the four INSERTs are one statement (core.db.insert_together).
        writes += re.findall(r'(?:INSERT INTO|UPDATE) "(\w+)"', sql)
        if match := re.match(r'SELECT .*? FROM "(\w+)"', sql):
            reads.append(match.group(1))
    # Reading the session is the database engine's one statement (Redis serves it otherwise).
    reads = [table for table in reads if table != "django_session"]
    assert sorted(reads) == sorted(
        ["accounts_user", "accounts_rolemembership", "referrals_topic", "accounts_area"]
    )
    assert sorted(writes) == sorted(
        [
            "referrals_conversation",
            "referrals_conversation_topics",
            "core_changeevent",
            "core_auditevent",
        ]
    )
