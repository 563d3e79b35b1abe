"""The conversation CSV export: one line per conversation, labels instead of codes, written a
chunk at a time for a streaming response.

Every text a line can hold is escaped for CSV once, when it is first met, not once per row:
at a million rows the per-row cost is what decides how fast the file comes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import StringIO
from typing import Any

from django.utils import timezone

from accounts.models import Area, Organisation, StaffGroup
from core.spreadsheets import safe_cell
from referrals.models import (
    AgeBand,
    ConversationSetting,
    EthnicGroup,
    MeccLevel,
    Outcome,
    Sex,
    Topic,
)
from referrals.selectors.conversations import ExportRow

HEADINGS = [
    "Conversation ID", "Date and time", "Organisation", "Borough", "Staff group", "Setting",
    "MECC level", "Outcome", "Topics", "Signposts", "Referrals", "Age", "Sex", "Ethnic group",
    "Postcode district",
]  # fmt: skip


def _line(values: Iterable[Any]) -> str:
    buffer = StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _cell(value: str) -> str:
    """One text cell as it appears in a CSV line (quoted if it must be)."""
    if value == "":
        return ""  # alone on a line the csv module would write "" to keep the line
    return _line([safe_cell(value)]).rstrip("\r\n")


class _Cells(dict[Any, str]):
    """Escaped cells by value, worked out the first time each value is seen."""

    def __init__(self, labels: dict[Any, str]) -> None:
        super().__init__((key, _cell(label)) for key, label in labels.items())

    def __missing__(self, key: Any) -> str:
        self[key] = cell = _cell(str(key))
        return cell


def conversation_csv(chunks: Iterable[list[ExportRow]]) -> Iterator[str]:
    """The heading line, then one block of lines per chunk of conversations."""
    organisations = _Cells(dict(Organisation.objects.values_list("pk", "name")))
    areas = _Cells(dict(Area.objects.values_list("pk", "name")))
    topic_names = dict(Topic.objects.values_list("pk", "name"))
    labels = _Cells({"": ""})
    for choices in (StaffGroup, ConversationSetting, MeccLevel, Outcome, AgeBand, Sex):
        labels.update(_Cells({value: str(label) for value, label in choices.choices}))
    ethnic = _Cells({"": "", **{value: str(label) for value, label in EthnicGroup.choices}})
    topics = _Cells({})
    for pk, name in topic_names.items():
        topics[(pk,)] = _cell(name)
    free_text = _Cells({"": ""})
    zone = timezone.get_current_timezone()
    yield _line(HEADINGS)
    for chunk in chunks:
        lines = []
        for row in chunk:
            when = row.occurred_at
            if not isinstance(when, str):
                # str() of a datetime is "YYYY-MM-DD HH:MM:SS...": quicker than strftime.
                when = str(when.astimezone(zone))[:16]
            topic_cell = topics.get(row.topic_ids)
            if topic_cell is None:
                topic_cell = topics[row.topic_ids] = _cell(
                    "; ".join(topic_names.get(t, "") for t in row.topic_ids)
                )
            lines.append(
                ",".join(
                    (
                        str(row.uuid),
                        when,
                        organisations[row.organisation_id],
                        areas[row.area_id],
                        labels[row.staff_group],
                        labels[row.setting],
                        labels[row.mecc_level],
                        labels[row.outcome],
                        topic_cell,
                        str(row.signposts),
                        str(row.referrals),
                        labels[row.age_band],
                        labels[row.sex],
                        ethnic[row.ethnic_group],
                        free_text[row.postcode_district],
                    )
                )
            )
        lines.append("")
        yield "\r\n".join(lines)
