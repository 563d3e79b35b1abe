"""django-zeal is on for every request in the test run (tests/settings.py, tests/n_plus_one.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from zeal import NPlusOneError

from core.models import AuditEvent
from core.services import audit_record
from referrals.models import Conversation
from tests.n_plus_one import zeal_middleware
from tests.referrals.activity_factories import ConversationFactory

pytestmark = pytest.mark.django_db


def _authors_one_by_one(request: HttpRequest) -> HttpResponse:
    names = [conversation.author.full_name for conversation in Conversation.objects.all()]
    return HttpResponse(", ".join(names))


def _authors_joined(request: HttpRequest) -> HttpResponse:
    rows = Conversation.objects.select_related("author")
    return HttpResponse(", ".join(conversation.author.full_name for conversation in rows))


def test_the_detector_wraps_every_request_and_is_not_in_production_settings():
    assert settings.MIDDLEWARE[0] == "tests.n_plus_one.zeal_middleware"
    assert "zeal" in settings.INSTALLED_APPS
    production = (settings.BASE_DIR / "mecc_portal" / "settings.py").read_text()
    assert "zeal" not in production


def test_a_page_that_loads_a_relation_per_row_raises():
    ConversationFactory.create_batch(3)
    with pytest.raises(NPlusOneError, match=r"referrals\.Conversation\.author"):
        zeal_middleware(_authors_one_by_one)(RequestFactory().get("/conversations/"))


def test_the_same_page_with_select_related_passes():
    ConversationFactory.create_batch(3)
    response = zeal_middleware(_authors_joined)(RequestFactory().get("/conversations/"))
    assert response.status_code == 200


def test_allauth_pages_may_repeat_their_own_user_lookups_but_not_load_relations_per_row():
    ConversationFactory.create_batch(3)
    with pytest.raises(NPlusOneError):
        zeal_middleware(_authors_one_by_one)(RequestFactory().get("/accounts/email/"))


def _audits_two_kinds_of_record(request: HttpRequest) -> HttpResponse:
    conversation = Conversation.objects.select_related("author").first()
    assert conversation is not None
    audit_record(actor=None, action="test.one", target=conversation)
    audit_record(actor=None, action="test.two", target=conversation.author)
    return HttpResponse("ok")


def test_filling_a_cold_content_type_cache_is_not_an_n_plus_one():
    """After a transactional test's flush the content-type cache is empty: a request that
    audits two kinds of record looks each type up once, which is a cache fill."""
    ConversationFactory()
    ContentType.objects.clear_cache()
    response = zeal_middleware(_audits_two_kinds_of_record)(RequestFactory().post("/x/"))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action__startswith="test.").count() == 2
