"""`manage.py rotate_field_encryption` moves residents' contact details onto the newest key."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.models import AuditEvent
from referrals.models import Referral
from tests.referrals.activity_factories import ReferralFactory

pytestmark = pytest.mark.django_db

FIELDS = ("contact_name", "contact_phone", "contact_email", "contact_preferred_time")


def _raw(referral: Any) -> list[str]:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Referral._meta.db_table)
        cursor.execute(
            f"SELECT {', '.join(FIELDS)} FROM {table} WHERE id = %s",  # noqa: S608
            [referral.pk],
        )
        return list(cursor.fetchone())


def _rotate(batch_size: int = 2) -> str:
    out = StringIO()
    call_command("rotate_field_encryption", batch_size=batch_size, stdout=out)
    return out.getvalue()


def test_rows_under_the_old_key_open_with_only_the_new_key_after_rotation(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    residents = [
        ReferralFactory(
            contact_name=f"Resident {n}",
            contact_phone=f"07700 90012{n}",
            contact_email=f"resident{n}@example.org",
            contact_preferred_time="Mornings",
        )
        for n in range(5)
    ]
    purged = ReferralFactory(
        contact_name="", contact_phone="", contact_email="", contact_preferred_time=""
    )
    before = {r.pk: _raw(r) for r in residents}

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    output = _rotate(batch_size=2)  # 6 rows in batches of 2: batching must reach them all

    new_only = Fernet(new_key.encode())
    for referral in residents:
        raw = _raw(referral)
        assert raw != before[referral.pk]
        assert new_only.decrypt(raw[0].encode()).decode() == referral.contact_name
        with pytest.raises(InvalidToken):
            Fernet(old_key.encode()).decrypt(raw[0].encode())
    assert _raw(purged) == ["", "", "", ""]

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is retired
    for referral in residents:
        fresh = Referral.objects.get(pk=referral.pk)
        assert [getattr(fresh, name) for name in FIELDS] == [
            getattr(referral, name) for name in FIELDS
        ]
    assert "20 values re-encrypted" in output
    event = AuditEvent.objects.get(action="core.field_encryption_rotated")
    assert event.details["rotated"] == 20
    assert event.details["blank"] == 4
    assert event.actor is None
    for value in ("Resident", "07700", "example.org", "Mornings"):
        assert value not in output
        assert value not in str(event.details)


def test_running_it_again_changes_nothing(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    referral = ReferralFactory(contact_name="Ada Resident", contact_phone="07700 900123")
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    _rotate()
    after_first = _raw(referral)

    output = _rotate()

    assert _raw(referral) == after_first
    assert "0 values re-encrypted" in output
    second = AuditEvent.objects.filter(action="core.field_encryption_rotated").order_by("id")
    first_run, second_run = (event.details for event in second)
    assert first_run["rotated"] >= 2  # at least the name and phone
    assert second_run["rotated"] == 0
    assert second_run["current"] == first_run["rotated"]


def test_rotating_is_refused_a_nonsense_batch_size():
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("rotate_field_encryption", batch_size=0)
