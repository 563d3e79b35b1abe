"""GET /api/fhir/ServiceRequest/<id>: BaRS-shaped FHIR, validated with fhir.resources (R4B)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.servicerequest import ServiceRequest

from referrals import fhir
from referrals.models import Referral, Sex
from referrals.services import referrals as services
from tests.referrals.activity_factories import Cast, build_cast

pytestmark = pytest.mark.django_db
S = Referral.Status


@pytest.fixture
def cast(make_user, camden_trust, haringey_council, partnership) -> Cast:
    return build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )


def _get(client, cast: Cast, **params: str):
    url = reverse("referrals:fhir_service_request", args=[cast.referral.uuid])
    return client.get(url, params)


def _assert_bars_service_request(data: dict, *, status: str) -> None:
    ServiceRequest.model_validate(data)
    assert data["status"] == status
    assert data["intent"] == "plan"
    assert data["category"][0]["coding"][0] == {
        "system": "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest",
        "code": "referral",
        "display": "Referral",
    }
    assert data["meta"]["profile"] == [
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
    ]
    assert data["subject"] == {"reference": "#resident"}
    assert data["authoredOn"].endswith("Z")


def test_the_service_request_is_valid_fhir_shaped_as_bars_asks(client, cast):
    client.force_login(cast.worker)
    response = _get(client, cast)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    data = response.json()
    _assert_bars_service_request(data, status="active")
    assert data["id"] == str(cast.referral.uuid)
    assert data["code"]["coding"] == [
        {
            "system": "http://snomed.info/sct",
            "code": "710081004",
            "display": "Smoking cessation therapy",
        }
    ]
    assert data["requester"]["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
        "value": "ZT001",
    }
    assert data["performer"][0]["identifier"]["value"] == "ZV001"
    assert data["performer"][0]["display"] == "Wood Green Voluntary Action"


def test_the_subject_carries_nothing_that_identifies_the_resident(client, cast):
    cast.conversation.sex = Sex.FEMALE
    cast.conversation.save(update_fields=["sex"])
    client.force_login(cast.provider)
    body = _get(client, cast).content.decode()
    patient = _get(client, cast).json()["contained"][0]
    assert patient == {"resourceType": "Patient", "id": "resident", "gender": "female"}
    for secret in ("Ada", "07700", "ada@resident.example", "Mornings"):
        assert secret not in body


@pytest.mark.parametrize(
    ("steps", "fhir_status"),
    [
        ([S.ACCEPTED], "active"),
        ([S.ACCEPTED, S.ATTENDED], "active"),
        ([S.ACCEPTED, S.COMPLETED], "completed"),
        ([S.DECLINED], "revoked"),
        ([S.ACCEPTED, S.DID_NOT_ATTEND], "revoked"),
    ],
)
def test_our_status_maps_onto_the_fhir_status(client, cast, steps, fhir_status):
    for step in steps:
        services.referral_status_update(
            referral=cast.referral,
            actor=cast.provider,
            status=step,
            as_provider=True,
            reason="Not eligible",
        )
    client.force_login(cast.worker)
    _assert_bars_service_request(_get(client, cast).json(), status=fhir_status)


def test_every_status_has_a_fhir_status():
    referral_statuses = set(Referral.Status.values) - {S.SIGNPOSTED}
    assert referral_statuses == set(fhir.FHIR_STATUS)
    assert set(fhir.FHIR_STATUS.values()) <= {"active", "completed", "revoked"}


def test_a_topic_without_a_snomed_code_gives_text_only(client, cast):
    cast.topic.snomed_code = ""
    cast.topic.save(update_fields=["snomed_code"])
    client.force_login(cast.worker)
    data = _get(client, cast).json()
    ServiceRequest.model_validate(data)
    assert data["code"] == {"text": "Smoking"}


def test_an_organisation_without_an_ods_code_is_named_only(client, cast):
    cast.worker.organisation.ods_code = ""
    cast.worker.organisation.save(update_fields=["ods_code"])
    client.force_login(cast.worker)
    data = _get(client, cast).json()
    ServiceRequest.model_validate(data)
    assert data["requester"] == {"type": "Organization", "display": "Camden Trust"}


def test_the_message_bundle_has_a_bars_message_header_focused_on_the_request(client, cast):
    client.force_login(cast.worker)
    data = _get(client, cast, _format="bundle").json()
    Bundle.model_validate(data)
    assert data["type"] == "message"
    header, request = (entry["resource"] for entry in data["entry"])
    assert header["resourceType"] == "MessageHeader"
    assert header["eventCoding"] == {
        "system": "https://fhir.nhs.uk/CodeSystem/message-events-bars",
        "code": "servicerequest-request",
        "display": "ServiceRequest Request",
    }
    assert header["focus"] == [{"reference": data["entry"][1]["fullUrl"]}]
    assert data["entry"][1]["fullUrl"] == f"urn:uuid:{cast.referral.uuid}"
    _assert_bars_service_request(request, status="active")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("lead", 200),
        ("provider", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("other_provider", 404),
        ("commissioner", 404),
    ],
)
def test_who_can_read_the_service_request(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert _get(client, cast).status_code == status
    assert _get(client, cast, _format="bundle").status_code == status


def test_signing_in_is_required(client, cast):
    assert _get(client, cast).status_code == 403
