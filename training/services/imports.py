"""Historic completions from a learning system's CSV: check every row, then import all of
them in one transaction, or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Organisation, User
from core.services import audit_record, change_record
from training.models import Completion, CompletionImport, Course
from training.selectors.rollups import COMPLETION_STREAM, completion_bucket
from training.services._common import TrainingError
from training.services.completions import (
    certificate_number_new,
    expiry_for,
    verification_code_new,
)

REQUIRED_COLUMNS = ("email", "course", "completed_on")
OPTIONAL_COLUMNS = ("certificate_number",)
MAX_ROWS = 5000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    learner: User | None = None
    course: Course | None = None
    completed_on: date | None = None


def _parse_date(raw: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _read(content: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    return headers, [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def completion_import_check(
    *, batch: CompletionImport, actor: Any
) -> tuple[list[str], list[ImportRow]]:
    """(problems with the whole file, one result per row with its errors)."""
    headers, records = _read(batch.content)
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return [f"The file needs a column called {', '.join(missing)}"], []
    if not records:
        return ["The file has no rows under the header"], []
    if len(records) > MAX_ROWS:
        return [f"The file has more than {MAX_ROWS} rows: split it into smaller files"], []

    emails = {r["email"].lower() for r in records}
    staff = {
        u.email: u
        for u in access.scope(
            User.objects.filter(email__in=emails), actor, Permission.MANAGE_TRAINING
        )
    }
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    courses = {c.title.lower(): c for c in Course.objects.select_related("programme")}
    numbers = {r.get("certificate_number", "") for r in records} - {""}
    taken = set(
        Completion.objects.filter(certificate_number__in=numbers).values_list(
            "certificate_number", flat=True
        )
    )
    existing = set(
        Completion.objects.filter(learner__in=staff.values()).values_list(
            "learner_id", "course_id", "completed_on"
        )
    )
    seen: set[tuple[int, int, date]] = set()
    rows = []
    today = timezone.localdate()
    for line, values in enumerate(records, start=2):
        row = ImportRow(line=line, values=values)
        email = values["email"].lower()
        row.learner = staff.get(email)
        if not email:
            row.errors.append("Enter the person's email address")
        elif row.learner is None:
            row.errors.append(
                "This person is not in your organisation"
                if email in known
                else "No one in the portal has this email address"
            )
        row.course = courses.get(values["course"].lower())
        if row.course is None:
            row.errors.append("No course has this title (it must match the catalogue)")
        row.completed_on = _parse_date(values["completed_on"])
        if row.completed_on is None:
            row.errors.append("Date must be a real date, like 2025-03-27 or 27/03/2025")
        elif row.completed_on > today:
            row.errors.append("Date must be today or in the past")
        number = values.get("certificate_number", "")
        if number and number in taken:
            row.errors.append("This certificate number is already in the portal")
        if row.learner and row.course and row.completed_on:
            key = (row.learner.pk, row.course.pk, row.completed_on)
            if key in existing:
                row.errors.append("This completion is already in the portal")
            elif key in seen:
                row.errors.append("This row repeats an earlier row")
            seen.add(key)
        rows.append(row)
    return [], rows


def completion_import_upload(
    *, actor: User, organisation: Organisation, filename: str, content: str
) -> CompletionImport:
    """Keep the uploaded file for its preview; nothing is imported yet."""
    with transaction.atomic():
        batch = CompletionImport.objects.create(
            organisation=organisation, uploaded_by=actor, filename=filename[:200], content=content
        )
        audit_record(actor=actor, action="training.import_uploaded", target=batch)
    return batch


def completion_import_apply(
    *, batch: CompletionImport, actor: User, request: HttpRequest | None = None
) -> int:
    """Import every row, or none if any row has an error. Returns the number imported."""
    with transaction.atomic():
        batch = CompletionImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != CompletionImport.Status.PREVIEW:
            raise TrainingError("This file has already been imported.")
        problems, rows = completion_import_check(batch=batch, actor=actor)
        if problems or any(row.errors for row in rows):
            raise TrainingError("Fix the errors in the file and upload it again.")
        today = timezone.localdate()
        completions = []
        for row in rows:
            if row.learner is None or row.course is None or row.completed_on is None:
                raise TrainingError("Fix the errors in the file and upload it again.")
            completions.append(
                Completion(
                    learner=row.learner,
                    course=row.course,
                    completed_on=row.completed_on,
                    certificate_number=row.values.get("certificate_number")
                    or certificate_number_new(row.course, row.completed_on),
                    verification_code=verification_code_new(),
                    issued_on=today,
                    expires_on=expiry_for(row.course, row.completed_on),
                    source=Completion.Source.IMPORT,
                )
            )
        Completion.objects.bulk_create(completions)
        change_record(
            stream=COMPLETION_STREAM,
            keys=[
                completion_bucket(
                    completed_on=c.completed_on, organisation_id=c.learner.organisation_id
                )
                for c in completions
            ],
        )
        batch.status = CompletionImport.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.rows_imported = len(completions)
        batch.save(update_fields=["status", "applied_at", "rows_imported", "updated_at"])
        audit_record(
            actor=actor,
            action="training.import_applied",
            target=batch,
            request=request,
            details={"rows": len(completions)},
        )
    return len(completions)
