"""Validate API payloads against the Open Referral UK schemas in shared/standards."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ORUK = Path(settings.BASE_DIR).parent / "shared" / "standards" / "openreferral-uk"
SCHEMA_DIR = ORUK / "schema"
PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def _retrieve(uri: str) -> Resource[Any]:
    path = SCHEMA_DIR / uri.removeprefix("file://").split("/")[-1]
    return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)


@cache
def validator(relative: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / relative).read_text())
    schema.setdefault("$id", f"file://{(SCHEMA_DIR / relative).as_posix()}")
    registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def assert_valid(payload: Any, relative: str) -> None:
    errors = sorted(validator(relative).iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def assert_page(payload: Any, item_schema: str) -> None:
    assert set(payload) == set(PAGE_FIELDS), payload.keys()
    for name, kind in PAGE_FIELDS.items():
        assert isinstance(payload[name], kind), name
    assert payload["size"] == len(payload["contents"])
    for item in payload["contents"]:
        assert_valid(item, item_schema)
