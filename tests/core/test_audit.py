import pytest
from django.test import RequestFactory

from core.models import AuditEvent
from core.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_event_records_who_what_which_and_where(make_user):
    user = make_user()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox")
    event = audit_record(
        actor=user,
        action="referral.contact_viewed",
        target=user,
        request=request,
        details={"reason": "follow-up"},
    )
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_email == user.email
    assert event.action == "referral.contact_viewed"
    assert event.target_type.model == "user"
    assert event.target_id == str(user.pk)
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "Firefox"
    assert event.details == {"reason": "follow-up"}


def test_system_actions_have_no_actor():
    event = audit_record(actor=None, action="retention.purged")
    assert event.actor is None
    assert AuditEvent.objects.get().actor_email == ""
