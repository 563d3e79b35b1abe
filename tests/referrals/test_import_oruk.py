from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Organisation, Role
from core.models import AuditEvent
from referrals.importers import import_path
from referrals.models import Contact, Location, Phone, Schedule, Service, ServiceAtLocation, Topic
from tests.referrals.oruk_schema import ORUK

pytestmark = pytest.mark.django_db

EXAMPLES = ORUK / "examples"
CSV_DIR = EXAMPLES / "csv"
JSON_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*.json"))
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_each_official_json_example_imports(partnership, name):
    report = import_path(EXAMPLES / name, default_area=partnership)
    assert report.ok, report.errors
    assert report.counts


def test_the_full_service_example_imports_with_everything_attached(partnership):
    report = import_path(EXAMPLES / "service_full.json", default_area=partnership)
    assert report.ok
    service = Service.objects.get(uuid=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.provider.name == "Example Organization Inc."
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.schedules.get().byday == "TH,FR"
    assert service.at_locations.get().location.postcode == "ABC 1234"
    assert service.cost_options.get().amount == 35
    assert service.is_free is False
    assert service.topics.get().is_active is False
    # The example's latitude 100 is not on Earth: it is left out, with a note.
    assert service.at_locations.get().location.latitude is None
    assert any("not a place on Earth" in warning for warning in report.warnings)
    assert AuditEvent.objects.filter(action="directory.imported").exists()


def test_the_official_csv_package_imports(partnership):
    report = import_path(CSV_DIR, default_area=partnership)
    assert report.ok, report.errors
    service = Service.objects.get(uuid=SERVICE_ID)
    assert ServiceAtLocation.objects.get().service == service
    assert Contact.objects.get().service == service
    assert Phone.objects.get().number == "+44 1234 234567"
    assert Schedule.objects.get().opens_at.hour == 10
    assert Location.objects.get().address_1 == "1-30 Main Street"
    assert "funding.csv: this table is not imported" in report.warnings


def test_importing_the_same_file_twice_updates_rather_than_duplicates(partnership):
    for _ in range(2):
        assert import_path(CSV_DIR, default_area=partnership).ok
        assert import_path(EXAMPLES / "service_full.json", default_area=partnership).ok
    assert Service.objects.count() == 1
    assert Organisation.objects.filter(name="Example Organization Inc.").count() == 1
    assert Location.objects.count() == 1


def _broken_package(tmp_path: Path, **replace: tuple[str, str]) -> Path:
    target = tmp_path / "package"
    shutil.copytree(CSV_DIR, target)
    for name, (old, new) in replace.items():
        path = target / name
        path.write_text(path.read_text().replace(old, new))
    return target


def test_a_broken_row_is_reported_and_nothing_is_imported(partnership, tmp_path):
    organisations = Organisation.objects.count()
    package = _broken_package(tmp_path, **{"services.csv": (",active,", ",open,")})
    report = import_path(package, default_area=partnership)
    assert not report.ok
    assert "services.csv line 2: status 'open' is not one of" in str(report.errors[0])
    assert not Service.objects.exists()
    assert not Location.objects.exists()
    assert not Topic.objects.filter(is_active=False).exists()
    assert Organisation.objects.count() == organisations
    assert not AuditEvent.objects.filter(action="directory.imported").exists()


def test_a_broken_row_late_in_the_package_still_rolls_back_the_rest(partnership, tmp_path):
    package = _broken_package(tmp_path, **{"schedule.csv": ('"TH,FR"', '"TH,XX"')})
    report = import_path(package, default_area=partnership)
    assert [str(e) for e in report.errors] == [
        "schedule.csv line 2: byday 'TH,XX' has days that are not MO to SU"
    ]
    assert not Service.objects.exists()
    assert not Schedule.objects.exists()


def test_a_broken_json_record_names_where_it_is(partnership, tmp_path):
    document = json.loads((EXAMPLES / "service_list.json").read_text())
    document["contents"][0]["minimum_age"] = "twelve"
    path = tmp_path / "services.json"
    path.write_text(json.dumps(document))
    report = import_path(path, default_area=partnership)
    assert [str(e) for e in report.errors] == [
        "services.json contents[0]: minimum_age 'twelve' is not a number"
    ]
    assert not Service.objects.exists()


def test_a_file_that_is_not_json_is_reported(partnership, tmp_path):
    path = tmp_path / "nonsense.json"
    path.write_text("{not json")
    report = import_path(path, default_area=partnership)
    assert not report.ok
    assert "not valid JSON" in str(report.errors[0])


def test_the_management_command_imports_and_fails_loudly(partnership, tmp_path, capsys):
    call_command("import_oruk", str(CSV_DIR))
    assert "Imported" in capsys.readouterr().out
    package = _broken_package(tmp_path, **{"services.csv": (",active,", ",open,")})
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_oruk", str(package))


# --- The import page ------------------------------------------------------------------------

IMPORT = reverse("referrals:directory_import")


@pytest.fixture
def administrator(make_user, partnership):
    return make_user(Role.ADMINISTRATOR, partnership, with_mfa=True)


def _zip_of_csvs() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in CSV_DIR.glob("*.csv"):
            archive.write(path, path.name)
    return buffer.getvalue()


def test_administrators_import_a_zip_of_the_csv_package(client, administrator, partnership):
    client.force_login(administrator)
    upload = SimpleUploadedFile("package.zip", _zip_of_csvs(), content_type="application/zip")
    response = client.post(IMPORT, {"file": upload, "area": partnership.pk})
    assert response.status_code == 302
    assert Service.objects.filter(uuid=SERVICE_ID).exists()
    event = AuditEvent.objects.get(action="directory.imported")
    assert event.actor == administrator


def test_the_import_page_lists_row_errors_and_imports_nothing(client, administrator, partnership):
    client.force_login(administrator)
    document = json.loads((EXAMPLES / "service_full.json").read_text())
    document["status"] = "closed"
    upload = SimpleUploadedFile("service.json", json.dumps(document).encode())
    response = client.post(IMPORT, {"file": upload, "area": partnership.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "service.json: status &#x27;closed&#x27; is not one of" in content
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("services.csv", 10, "The selected file must be a JSON or ZIP file"),
        ("big.json", 6 * 1024 * 1024, "The selected file must be smaller than 5 MB"),
    ],
)
def test_upload_type_and_size_are_limited(client, administrator, partnership, name, size, message):
    client.force_login(administrator)
    upload = SimpleUploadedFile(name, b" " * size)
    response = client.post(IMPORT, {"file": upload, "area": partnership.pk})
    assert message in response.content.decode()


@pytest.mark.parametrize("role", [Role.SERVICE_PROVIDER, Role.FRONTLINE_WORKER])
def test_only_administrators_may_import(client, make_user, camden_trust, role):
    client.force_login(make_user(role, camden_trust))
    assert client.get(IMPORT).status_code == 403
