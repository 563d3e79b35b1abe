"""Every URL pattern of the project, and how to fill its parameters from the matrix's world.

`all_routes()` walks `get_resolver()` recursively (allauth, the admin, /openreferral/,
/api/fhir/, /api/schema/ included). A route is keyed by its namespaced name, or by its pattern
text when it has no name (the admin's object redirects, the Open Referral catch-all).
`paths_for(route, world)` gives the URL(s) to open: one per variant, IN and OUT of scope for a
route that opens an object somebody owns, one for everything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import IN, OUT, Side, World


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced name, or the pattern text of an unnamed route
    name: str
    pattern: str
    params: tuple[str, ...]


def all_routes() -> list[Route]:
    """Every URL pattern, once each (allauth includes its sessions list twice)."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                full = prefix + str(entry.pattern)
                name = ""
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", full))
                yield Route(
                    key=name or full,
                    name=name,
                    pattern=full,
                    params=tuple(a or b for a, b in params),
                )

    seen: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns, "", ""):
        seen.setdefault(route.key, route)
    return list(seen.values())


Kwargs = dict[str, Any]
# A route whose object belongs to one side: opened once on each side.
SCOPED: dict[str, Callable[[Side], Kwargs]] = {
    "training:course_detail": lambda s: {"pk": s.course.pk},
    "training:course_edit": lambda s: {"pk": s.course.pk},
    "training:session_detail": lambda s: {"pk": s.session.pk},
    "training:session_calendar": lambda s: {"pk": s.session.pk},
    "training:session_book": lambda s: {"pk": s.session.pk},
    "training:session_book_staff": lambda s: {"pk": s.session.pk},
    "training:booking_cancel": lambda s: {"pk": s.booking.pk},
    "training:session_edit": lambda s: {"pk": s.session.pk},
    "training:session_cancel": lambda s: {"pk": s.session.pk},
    "training:session_register": lambda s: {"pk": s.past_session.pk},
    "training:certificate_download": lambda s: {"pk": s.completion.pk},
    "training:quality_detail": lambda s: {"pk": s.assessment.pk},
    "training:quality_edit": lambda s: {"pk": s.assessment.pk},
    "training:quality_attachment": lambda s: {"pk": s.score.pk},
    "training:import_preview": lambda s: {"pk": s.completion_import.pk},
    "certificate_verify": lambda s: {"code": s.completion.verification_code},
    "referrals:service_detail": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_edit": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_verify": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_report_problem": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_locations_edit": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_hours_edit": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_contacts_edit": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_public": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_share": lambda s: {"service_uuid": s.service.uuid},
    "referrals:service_short_link": lambda s: {"code": _short_code(s)},
    "referrals:conversation_detail": lambda s: {"conversation_uuid": s.conversation.uuid},
    "referrals:conversation_edit": lambda s: {"conversation_uuid": s.conversation.uuid},
    # The worker's own conversation with a service on the same side.
    "referrals:signpost_create": lambda s: {
        "conversation_uuid": s.conversation.uuid,
        "service_uuid": s.service.uuid,
    },
    "referrals:referral_create": lambda s: {
        "conversation_uuid": s.conversation.uuid,
        "service_uuid": s.service.uuid,
    },
    "referrals:referral_detail": lambda s: {"referral_uuid": s.referral.uuid},
    "referrals:referral_status": lambda s: {"referral_uuid": s.referral.uuid},
    "referrals:referral_contact": lambda s: {"referral_uuid": s.referral.uuid},
    "referrals:fhir_service_request": lambda s: {"referral_uuid": s.referral.uuid},
    "evaluation:report_download": lambda s: {"uuid": s.report.uuid},
    "evaluation:standard_remove": lambda s: {"pk": s.standard.pk},
    "evaluation:workforce_edit": lambda s: {"organisation_id": s.organisation.pk},
    "evaluation:return_edit": lambda s: {
        "organisation_id": s.organisation.pk,
        "period_id": s.period.pk,
    },
    "evaluation:return_detail": lambda s: {"pk": s.organisation_return.pk},
    "evaluation:return_reopen": lambda s: {"pk": s.organisation_return.pk},
    "evaluation:survey_take": lambda s: {"token": s.invitation.token},
    "evaluation:survey_done": lambda s: {"token": s.invitation.token},
    "evaluation:post_course_survey": lambda s: {"booking_id": s.attended_booking.pk},
    "evaluation:session_results": lambda s: {"session_id": s.past_session.pk},
    "openreferral:service": lambda s: {"id": s.service.uuid},
    "openreferral:service_at_location": lambda s: {"id": s.service_at_location.uuid},
}

# A route whose parameter belongs to nobody in particular (or is a made-up key): opened once.
UNSCOPED: dict[str, Callable[[World], Kwargs]] = {
    "account_confirm_email": lambda w: {"key": "no-such-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "0", "key": "no-such-key"},
    "mfa_remove_webauthn": lambda w: {"pk": 999999},
    "mfa_edit_webauthn": lambda w: {"pk": 999999},
    "referrals:topic_edit": lambda w: {"slug": w.topic.slug},
    "evaluation:resource_file": lambda w: {"pk": w.resource.pk},
    "openreferral:taxonomy": lambda w: {"id": w.taxonomy.uuid},
    "openreferral:taxonomy_term": lambda w: {"id": w.topic.uuid},
    "admin:app_list": lambda w: {"app_label": "accounts"},
    "admin:view_on_site": lambda w: {
        "content_type_id": ContentType.objects.get_for_model(type(w.home.service)).pk,
        "object_id": w.home.service.pk,
    },
    "admin:auth_user_password_change": lambda w: {"id": w.home.referral.created_by_id},
}


def _short_code(side: Side) -> str:
    from referrals.presenters.activity import short_code

    return short_code(side.service.pk)


_ADMIN_OBJECT = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/")


def _admin_object_id(route: Route) -> str:
    """The pk of a row of the model an admin object page is for."""
    match = _ADMIN_OBJECT.match(route.pattern)
    assert match, route.pattern
    model = apps.get_model(match.group(1), match.group(2))
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"the matrix world has no {model.__name__} for {route.key}"
    return str(row.pk)


def paths_for(route: Route, world: World) -> list[tuple[str, str]]:
    """(variant, path) pairs to open for this route."""
    if route.key == "openreferral/^(?P<rest>.*)$":
        return [("", "/openreferral/no-such-endpoint")]
    if route.key == "admin/(?P<url>.*)$":  # the admin's catch-all
        return [("", "/admin/no-such-page/")]
    if not route.name:  # the admin's unnamed "<object_id>/" redirect to the change page
        return [("", "/" + route.pattern.replace("<path:object_id>", _admin_object_id(route)))]
    if not route.params:
        return [("", reverse(route.name))]
    if route.key in SCOPED:
        return [
            (variant, reverse(route.name, kwargs=SCOPED[route.key](world.side(variant))))
            for variant in (IN, OUT)
        ]
    if route.key in UNSCOPED:
        return [("", reverse(route.name, kwargs=UNSCOPED[route.key](world)))]
    if route.params == ("object_id",) and route.name.startswith("admin:"):
        return [("", reverse(route.name, kwargs={"object_id": _admin_object_id(route)}))]
    raise AssertionError(
        f"{route.key} ({route.pattern}) takes {route.params}: add it to SCOPED or UNSCOPED in "
        "tests/security/routes.py so the matrix can open it"
    )
