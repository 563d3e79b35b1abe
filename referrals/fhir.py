"""A referral as a FHIR R4 ServiceRequest shaped as the NHS Booking and Referral Standard asks.

The subject is a contained Patient carrying nothing that identifies the resident (at most the
sex they chose to record): their contact details stay in the portal, where every read is
audited, and reach only the provider through it (ADR 0009).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.models import Organisation
from referrals.models import Referral, Sex

UKCORE_SERVICE_REQUEST = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
CATEGORY_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest"
EVENT_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-events-bars"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SNOMED_SYSTEM = "http://snomed.info/sct"
# Namespace for the ids of the resources made for a referral (stable across requests).
BUNDLE_NAMESPACE = uuid.UUID("8f0b7b2e-6f57-4c33-9d43-2a4bd4d9a1c1")

S = Referral.Status
FHIR_STATUS: dict[str, str] = {
    S.SENT: "active",
    S.ACCEPTED: "active",
    S.ATTENDED: "active",
    S.COMPLETED: "completed",
    S.DECLINED: "revoked",
    S.DID_NOT_ATTEND: "revoked",
    S.CANCELLED: "revoked",
}
FHIR_GENDER = {Sex.FEMALE: "female", Sex.MALE: "male"}


def _instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _organisation_reference(organisation: Organisation) -> dict[str, Any]:
    reference: dict[str, Any] = {"type": "Organization", "display": organisation.name}
    if organisation.ods_code:
        reference["identifier"] = {"system": ODS_SYSTEM, "value": organisation.ods_code}
    return reference


def _code(referral: Referral) -> dict[str, Any]:
    topic = referral.topic
    code: dict[str, Any] = {"text": topic.name if topic else referral.service.name}
    if topic and topic.snomed_code:
        coding = {"system": SNOMED_SYSTEM, "code": topic.snomed_code}
        if topic.snomed_display:
            coding["display"] = topic.snomed_display
        code["coding"] = [coding]
    return code


def service_request(referral: Referral) -> dict[str, Any]:
    """The referral as a ServiceRequest resource (a dict ready for JSON)."""
    patient: dict[str, Any] = {"resourceType": "Patient", "id": "resident"}
    gender = FHIR_GENDER.get(Sex(referral.conversation.sex)) if referral.conversation.sex else None
    if gender:
        patient["gender"] = gender
    return {
        "resourceType": "ServiceRequest",
        "id": str(referral.uuid),
        "meta": {"profile": [UKCORE_SERVICE_REQUEST]},
        "contained": [patient],
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{referral.uuid}"}],
        "status": FHIR_STATUS[referral.status],
        "intent": "plan",
        "category": [
            {"coding": [{"system": CATEGORY_SYSTEM, "code": "referral", "display": "Referral"}]}
        ],
        "priority": "routine",
        "code": _code(referral),
        "subject": {"reference": "#resident"},
        "authoredOn": _instant(referral.created_at),
        "requester": _organisation_reference(referral.conversation.organisation),
        "performer": [_organisation_reference(referral.service.provider)],
        "locationCode": [{"text": referral.conversation.area.name}],
    }


def message_bundle(referral: Referral, *, now: datetime.datetime) -> dict[str, Any]:
    """The BaRS message Bundle: a MessageHeader whose focus is the ServiceRequest."""
    request_url = f"urn:uuid:{referral.uuid}"
    header_id = str(uuid.uuid5(BUNDLE_NAMESPACE, f"header-{referral.uuid}-{referral.status}"))
    header = {
        "resourceType": "MessageHeader",
        "id": header_id,
        "eventCoding": {
            "system": EVENT_SYSTEM,
            "code": "servicerequest-request",
            "display": "ServiceRequest Request",
        },
        "source": {
            "name": "MECC Portal",
            "endpoint": settings.SITE_URL
            + reverse("referrals:fhir_service_request", args=[referral.uuid]),
        },
        "destination": [
            {
                "endpoint": f"urn:uuid:{referral.service.uuid}",
                "receiver": _organisation_reference(referral.service.provider),
            }
        ],
        "sender": _organisation_reference(referral.conversation.organisation),
        "focus": [{"reference": request_url}],
    }
    bundle_id = str(uuid.uuid5(BUNDLE_NAMESPACE, f"bundle-{referral.uuid}-{referral.status}"))
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": {"lastUpdated": _instant(now)},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{bundle_id}"},
        "type": "message",
        "timestamp": _instant(now),
        "entry": [
            {"fullUrl": f"urn:uuid:{header_id}", "resource": header},
            {"fullUrl": request_url, "resource": service_request(referral)},
        ],
    }
