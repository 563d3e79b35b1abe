"""docs/data-protection.md lists every field that looks personal, in every installed model.

A new field named like personal data (name, email, phone, address, postcode, date of birth,
free text, IP address, profile...), a new link to a user, or a new encrypted field fails here
until the data dictionary says what it is for, its lawful basis, who sees it and how long it
is kept, or lists it as not personal with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from core.encryption import EncryptedTextField

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"

# Words that, as a part of a field name (split on "_"), suggest personal data.
PERSONAL_WORDS = frozenset([
    "name", "names", "email", "phone", "mobile", "number", "address", "postcode", "district",
    "dob", "birth", "born", "note", "notes", "comment", "comments", "reason", "details",
    "text", "body", "content", "message", "recipients", "ip", "agent", "sex", "gender",
    "ethnic", "ethnicity", "age", "nhs", "contact", "title", "staff", "data", "secret",
    "token", "key", "password", "description", "evidence", "filename", "delivery", "plans",
    "working", "evaluations",
])  # fmt: skip
DICTIONARY_HEADER = [
    "model",
    "fields",
    "whose data",
    "purpose",
    "lawful basis",
    "who can see it",
    "retention",
    "encrypted",
]
NOT_PERSONAL_HEADER = ["model", "fields", "why they are not personal data"]
BACKTICKED = re.compile(r"`([^`]+)`")


def _tables(text: str) -> dict[tuple[str, ...], list[list[str]]]:
    """Each markdown table in the text, keyed by its lower-cased header."""
    tables: dict[tuple[str, ...], list[list[str]]] = {}
    header: tuple[str, ...] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = tuple(cell.lower() for cell in cells)
            tables.setdefault(header, [])
        elif not set("".join(cells)) <= set("-: "):
            tables[header].append(cells)
    return tables


def _entries(rows: list[list[str]]) -> dict[tuple[str, str], list[str]]:
    entries: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        labels = BACKTICKED.findall(row[0])
        assert len(labels) == 1, f"first cell must name one model: {row[0]!r}"
        for field in BACKTICKED.findall(row[1]):
            entries[(labels[0], field)] = row
    return entries


def _documented() -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], list[str]]]:
    tables = _tables(DOC.read_text(encoding="utf-8"))
    personal = tables.get(tuple(DICTIONARY_HEADER))
    not_personal = tables.get(tuple(NOT_PERSONAL_HEADER))
    assert personal, "docs/data-protection.md has lost its data dictionary table"
    assert not_personal, "docs/data-protection.md has lost its not-personal table"
    return _entries(personal), _entries(not_personal)


def _looks_personal(field: models.Field[object, object]) -> bool:
    if field.is_relation:
        return False
    return bool(PERSONAL_WORDS & set(field.name.lower().split("_")))


def _must_be_personal(field: models.Field[object, object]) -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    links_a_person = field.is_relation and field.related_model is user_model
    return links_a_person or isinstance(field, EncryptedTextField)


def _fields() -> list[tuple[str, models.Field[object, object]]]:
    return [
        (model._meta.label, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
    ]


def test_every_link_to_a_person_and_every_encrypted_field_is_in_the_data_dictionary():
    personal, _ = _documented()
    missing = [
        f"{label}.{field.name}"
        for label, field in _fields()
        if _must_be_personal(field) and (label, field.name) not in personal
    ]
    assert missing == [], f"add these to the data dictionary in {DOC.name}: {missing}"


def test_every_field_that_looks_personal_is_documented_one_way_or_the_other():
    personal, not_personal = _documented()
    missing = [
        f"{label}.{field.name}"
        for label, field in _fields()
        if _looks_personal(field)
        and (label, field.name) not in personal
        and (label, field.name) not in not_personal
    ]
    assert missing == [], (
        f"add these to {DOC.name}: the data dictionary if they hold personal data, "
        f"otherwise the 'look personal but are not' table: {missing}"
    )


def test_the_documented_fields_exist_and_each_is_decided_once():
    personal, not_personal = _documented()
    assert not set(personal) & set(not_personal)
    real = {(label, field.name) for label, field in _fields()}
    stale = sorted(f"{m}.{f}" for m, f in (set(personal) | set(not_personal)) - real)
    assert stale == [], f"{DOC.name} lists fields that no longer exist: {stale}"


def test_every_dictionary_row_says_purpose_basis_audience_retention_and_encryption():
    personal, _ = _documented()
    for (label, field), row in personal.items():
        assert len(row) == len(DICTIONARY_HEADER), f"{label}.{field}: {row}"
        assert all(cell for cell in row), f"{label}.{field} has an empty cell"
        assert re.search(r"6\(1\)\([a-f]\)", row[4]), f"{label}.{field}: no Art 6 basis"


@pytest.mark.parametrize(
    ("label", "field"),
    [("referrals.Referral", "contact_name"), ("referrals.Conversation", "ethnic_group")],
)
def test_resident_fields_say_they_are_residents_and_how_they_are_protected(label, field):
    personal, _ = _documented()
    row = personal[(label, field)]
    assert row[2].startswith("Resident")
    if field == "contact_name":
        assert row[7].startswith("Yes")
    else:
        assert "9(2)" in row[4]
