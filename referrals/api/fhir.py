"""GET /api/fhir/ServiceRequest/<id>: a referral in scope as FHIR R4 (or its message Bundle)."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.selectors import referrals as selectors
from referrals.services import referrals as services

FHIR_JSON = "application/fhir+json"
# The outline every answer has; the FHIR R4 profiles themselves are checked in the tests.
FHIR_RESOURCE = {
    "type": "object",
    "properties": {
        "resourceType": {"type": "string", "enum": ["ServiceRequest", "Bundle"]},
        "id": {"type": "string"},
    },
    "required": ["resourceType", "id"],
    "additionalProperties": True,
}
# What DRF answers for a refused or missing referral.
ERROR = inline_serializer("ApiError", fields={"detail": serializers.CharField()})


class ServiceRequestView(APIView):
    """A referral the user made, manages the organisation of, or receives; others are 404."""

    @extend_schema(
        operation_id="fhir_service_request_read",
        parameters=[
            OpenApiParameter(
                "_format",
                str,
                description="`bundle` for the BaRS message Bundle around the ServiceRequest",
                enum=["bundle"],
            )
        ],
        responses={
            (200, FHIR_JSON): OpenApiResponse(
                FHIR_RESOURCE,
                description="A FHIR R4 ServiceRequest, or a Bundle when _format=bundle",
            ),
            403: OpenApiResponse(ERROR, description="Not signed in"),
            404: OpenApiResponse(ERROR, description="No such referral, or not yours to see"),
        },
    )
    def get(self, request: Request, referral_uuid: UUID) -> Response:
        referral = selectors.referral_for(user=request.user, uuid=referral_uuid).referral
        body = services.referral_fhir_export(
            referral=referral,
            actor=request.user,
            bundle=request.query_params.get("_format") == "bundle",
            request=request._request,
        )
        return Response(body, content_type=FHIR_JSON)
