"""Every upload is limited: size, type (extension and content), and for a ZIP the number of
files and their unpacked size. Each refusal is a clear message on the page, never a 500."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import Role
from evaluation.models.resources import validate_resource_file
from referrals.importers import ImportFileError, read_bytes
from referrals.models import Service
from training.forms.quality import validate_evidence_file
from training.models import CompletionImport

pytestmark = pytest.mark.django_db

ORUK_IMPORT = "/directory/import/"
CSV_IMPORT = "/training/imports/new/"


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def administrator(make_user, partnership):
    return make_user(Role.ADMINISTRATOR, partnership, with_mfa=True)


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


def _import_oruk(client, name: str, content: bytes, partnership):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(ORUK_IMPORT, {"file": upload, "area": partnership.pk})


def _refused(response, message: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert message in page, page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("services.exe", b"MZ\x90\x00", "The selected file must be a JSON or ZIP file"),
        ("services.csv", b"id,name\n", "The selected file must be a JSON or ZIP file"),
        ("big.json", b"[" + b" " * (5 * 1024 * 1024) + b"]", "must be smaller than 5 MB"),
        ("empty.json", b"", "The submitted file is empty"),
        ("fake.zip", b"this is not a zip file", "The selected file is not a real ZIP file"),
        ("binary.json", b"\x00\x01\x02\x03MZ", "The selected file is not a real JSON file"),
        ("bad.zip", b"PK\x03\x04 then nothing", "The selected ZIP file cannot be opened"),
    ],
)
def test_oruk_import_refuses_the_wrong_files(
    client, administrator, partnership, name, content, message
):
    client.force_login(administrator)
    response = _import_oruk(client, name, content, partnership)
    _refused(response, message)
    assert not Service.objects.exists()


def test_oruk_import_refuses_a_zip_bomb(client, administrator, partnership):
    """100 MB of zeros packs into about 100 KB: refused from the ZIP's directory, unread."""
    bomb = _zip({"services.csv": b"0" * (100 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    client.force_login(administrator)
    response = _import_oruk(client, "package.zip", bomb, partnership)
    _refused(response, "The files in the ZIP must add up to less than 50 MB unpacked")
    assert not Service.objects.exists()


def test_oruk_import_refuses_a_zip_of_too_many_files(client, administrator, partnership):
    many = _zip({f"table_{index}.csv": b"id\n" for index in range(51)})
    client.force_login(administrator)
    response = _import_oruk(client, "package.zip", many, partnership)
    _refused(response, "The ZIP file must hold 50 files or fewer")


@override_settings(IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES=1000, IMPORT_ZIP_MAX_MEMBERS=2)
def test_the_importer_checks_zip_limits_itself_too():
    """The command-line import (manage.py) reads ZIPs without the form: same limits."""
    with pytest.raises(ImportFileError, match="add up to less than"):
        read_bytes(_zip({"services.csv": b"x" * 2000}), "package.zip")
    with pytest.raises(ImportFileError, match="2 files or fewer"):
        read_bytes(_zip({"a.csv": b"", "b.csv": b"", "c.csv": b""}), "package.zip")


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_the_site_wide_upload_limit_caps_each_form(client, administrator, partnership):
    client.force_login(administrator)
    response = _import_oruk(client, "page.json", json.dumps([{}] * 1000).encode(), partnership)
    _refused(response, "must be smaller than 1 KB")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.xlsx", b"PK\x03\x04", "The selected file must be a CSV file"),
        ("export.csv", b"email\n" + b"a" * (2 * 1024 * 1024), "must be smaller than 2 MB"),
        ("export.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "The selected file is not a real CSV file"),
        ("export.csv", b"email,course\n\xff\xfe bad bytes", "is not a real CSV file"),
        ("export.csv", b"", "The submitted file is empty"),
    ],
)
def test_completion_import_refuses_the_wrong_files(client, lead, name, content, message):
    client.force_login(lead)
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    response = client.post(CSV_IMPORT, {"file": upload})
    _refused(response, message)
    assert not CompletionImport.objects.exists()


def test_completion_import_accepts_a_csv_with_a_byte_order_mark(client, lead):
    client.force_login(lead)
    upload = SimpleUploadedFile(
        "export.csv", "\ufeffemail,course,completed_on\n".encode(), content_type="text/csv"
    )
    response = client.post(CSV_IMPORT, {"file": upload})
    assert response.status_code == 302
    assert CompletionImport.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.exe", b"MZ\x90\x00", "must be a PDF, Word, Excel, PowerPoint, PNG or JPG"),
        ("evidence.pdf", b"MZ\x90\x00 renamed program", "is not a real .pdf file"),
        ("evidence.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "smaller than 5MB"),
    ],
)
def test_quality_evidence_files_are_checked(name, content, message):
    with pytest.raises(forms.ValidationError, match=message):
        validate_evidence_file(SimpleUploadedFile(name, content))


def test_quality_evidence_accepts_a_real_pdf():
    validate_evidence_file(SimpleUploadedFile("evidence.pdf", b"%PDF-1.7\n..."))


def test_resource_files_uploaded_by_administrators_are_checked():
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        validate_resource_file(SimpleUploadedFile("guide.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)))
    with pytest.raises(ValidationError, match="do not match its type"):
        validate_resource_file(SimpleUploadedFile("guide.pdf", b"MZ\x90\x00"))
