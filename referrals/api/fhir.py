"""GET /api/fhir/ServiceRequest/<id>: a referral in scope as FHIR R4 (or its message Bundle)."""

from __future__ import annotations

from uuid import UUID

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals import fhir
from referrals.selectors import referrals as selectors

FHIR_JSON = "application/fhir+json"


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
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, referral_uuid: UUID) -> Response:
        referral = selectors.referral_for(user=request.user, uuid=referral_uuid).referral
        if request.query_params.get("_format") == "bundle":
            body = fhir.message_bundle(referral, now=timezone.now())
        else:
            body = fhir.service_request(referral)
        return Response(body, content_type=FHIR_JSON)
