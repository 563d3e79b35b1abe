"""The conversation CSV export: a training lead's organisations only, labelled, streamed in
chunks, audited, and never a resident's name."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEvent
from referrals.models import Referral
from referrals.presenters.exports import HEADINGS
from referrals.selectors import conversations as selectors
from tests.referrals.activity_factories import (
    ActivityServiceFactory,
    ActivityTopicFactory,
    ConversationFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("referrals:organisation_conversations_csv")


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def test_a_training_lead_downloads_their_organisations_conversations(
    client, make_user, camden_trust, haringey_council
):
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust, staff_group="nursing")
    outsider = make_user(Role.FRONTLINE_WORKER, haringey_council)
    money = ActivityTopicFactory(slug="export-money", name="=Debt, money")
    smoking = ActivityTopicFactory(slug="export-quit", name="Stop smoking")
    ours = ConversationFactory(
        author=worker, topics=[smoking, money], age_band="45_54", postcode_district="NW1"
    )
    ReferralFactory(
        conversation=ours,
        service=ActivityServiceFactory(),
        kind=Referral.Kind.REFERRAL,
        status=Referral.Status.SENT,
        created_by=worker,
        contact_name="Ada Resident",
    )
    ConversationFactory(author=outsider, topics=[smoking])
    client.force_login(lead)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0] == HEADINGS
    assert len(rows) == 2  # the other organisation's conversation is not there
    row = dict(zip(HEADINGS, rows[1], strict=True))
    assert row["Conversation ID"] == str(ours.uuid)
    assert row["Organisation"] == camden_trust.name
    assert row["Staff group"] == "Nursing and midwifery"
    assert row["Outcome"] == "Signposted"
    assert row["Topics"] == "'=Debt, money; Stop smoking"  # never a formula in a spreadsheet
    assert (row["Referrals"], row["Signposts"], row["Age"]) == ("1", "0", "45 to 54")
    assert "Ada Resident" not in str(rows)
    assert AuditEvent.objects.filter(action="conversations.exported", actor=lead).exists()


def test_a_frontline_worker_cannot_download_the_export(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(URL).status_code in (403, 404)


def test_every_conversation_comes_once_across_chunks_and_gaps_in_ids(
    client, make_user, camden_trust, monkeypatch
):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 3)
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust)
    topic = ActivityTopicFactory(slug="smoking")
    made = ConversationFactory.create_batch(11, author=worker, topics=[topic])
    for gone in made[2:6]:  # a gap wider than a chunk
        gone.delete()
    client.force_login(lead)

    ids = [row[0] for row in _rows(client.get(URL))[1:]]

    kept = [str(c.uuid) for c in made[:2] + made[6:]]
    assert ids == kept


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_chunks_are_read_ahead_and_all_arrive_in_order(
    client, make_user, camden_trust, monkeypatch
):
    """As in production (no transaction around a streamed response): each window is read in
    another thread while the last one is written (core.readahead); none is lost or reordered."""
    import threading

    readers: set[str] = set()
    chunks = selectors._export_chunks

    def recording(user):
        readers.add(threading.current_thread().name)
        yield from chunks(user)

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 3)
    monkeypatch.setattr(selectors, "_export_chunks", recording)
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust)
    made = ConversationFactory.create_batch(10, author=worker, topics=[ActivityTopicFactory()])
    client.force_login(lead)

    ids = [row[0] for row in _rows(client.get(URL))[1:]]

    assert ids == [str(c.uuid) for c in made]
    assert readers == {"read-ahead"}
