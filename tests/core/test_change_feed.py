import pytest

from core.models import ChangeEvent
from core.services import change_record, changes_since

pytestmark = pytest.mark.django_db


def test_changes_are_read_once_from_a_watermark():
    change_record(stream="conversation", keys=["2026-01:org:1", "2026-01:org:1", "2026-02:org:2"])
    keys, watermark = changes_since(stream="conversation", after_id=0)
    assert keys == {"2026-01:org:1", "2026-02:org:2"}
    assert ChangeEvent.objects.count() == 2  # duplicates in one call are written once
    assert changes_since(stream="conversation", after_id=watermark) == (set(), watermark)
    change_record(stream="conversation", keys=["2026-03:org:1"])
    change_record(stream="booking", keys=["other"])
    keys, _ = changes_since(stream="conversation", after_id=watermark)
    assert keys == {"2026-03:org:1"}


def test_limit_bounds_a_batch_and_the_watermark_resumes_after_it():
    change_record(stream="s", keys=[f"k{i}" for i in range(5)])
    first, mark = changes_since(stream="s", after_id=0, limit=3)
    rest, _ = changes_since(stream="s", after_id=mark, limit=3)
    assert first == {"k0", "k1", "k2"}
    assert rest == {"k3", "k4"}
