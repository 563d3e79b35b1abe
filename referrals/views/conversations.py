"""Conversation pages: log one, the services that match, my conversations, my impact, share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.access import Permission
from accounts.decorators import permission_required
from accounts.models import Area, Organisation
from core.services import audit_record
from referrals.forms.conversations import (
    ConversationCorrectionForm,
    ConversationForm,
    MatchingServicesForm,
)
from referrals.models import Conversation, Service
from referrals.presenters.activity import qr_code_svg, service_pk_from_short_code, short_code
from referrals.presenters.exports import conversation_csv
from referrals.selectors import conversations as selectors
from referrals.services import conversations as services

View = Callable[..., HttpResponse]
PAGE_SIZE = 25


def _worker_organisation(request: HttpRequest) -> Organisation:
    """The organisation a worker logs conversations for: their own, if they log there."""
    own_id = getattr(request.user, "organisation_id", None)
    granted = access.organisation_granted(request.user, Permission.LOG_CONVERSATION, own_id)
    if granted is not None:
        return granted
    organisation: Organisation | None = getattr(request.user, "organisation", None)
    if organisation is not None and access.can(
        request.user, Permission.LOG_CONVERSATION, organisation
    ):
        return organisation
    first: Organisation | None = access.organisations_in_scope(
        request.user, Permission.LOG_CONVERSATION
    ).first()
    if first is None:
        raise PermissionDenied("Your account is not linked to an organisation.")
    return first


def _initial(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    last = Conversation.objects.filter(author_id=request.user.pk).order_by("-occurred_at").first()
    area: Area = organisation.area
    return {
        "area": (last.area_id if last else None) or area.pk,
        "setting": last.setting if last else "",
    }


def _matching(data: Any) -> tuple[list[Service], set[str]]:
    form = MatchingServicesForm(data)
    form.is_valid()
    topics = list(form.cleaned_data.get("topics") or [])
    area = form.cleaned_data.get("area")
    chosen = set(data.getlist("signposts")) if hasattr(data, "getlist") else set()
    return selectors.services_matching(topics=topics, area=area), chosen


def public_listing_url(service: Service) -> str:
    """The directory's public page for a service (no sign-in needed)."""
    try:
        return reverse("referrals:service_public", args=[service.uuid])
    except NoReverseMatch:
        return f"/services/{service.uuid}/"


@permission_required(Permission.LOG_CONVERSATION)
def conversation_log(request: HttpRequest) -> HttpResponse:
    organisation = _worker_organisation(request)
    services_found: list[Service] = []
    chosen: set[str] = set()
    if request.method == "POST" and "find" in request.POST:
        # "Find services" without JavaScript: show the matches, keep the answers, save nothing.
        initial: dict[str, Any] = {"topics": request.POST.getlist("topics")}
        initial.update({k: v for k, v in request.POST.items() if k not in ("topics", "find")})
        form = ConversationForm(initial=initial)
        services_found, chosen = _matching(request.POST)
    elif request.method == "POST":
        form = ConversationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            conversation = services.conversation_create(
                author=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                area=data["area"],
                setting=data["setting"],
                mecc_level=data["mecc_level"],
                outcome=data["outcome"],
                topics=data["topics"],
                age_band=data["age_band"],
                sex=data["sex"],
                ethnic_group=data["ethnic_group"],
                postcode_district=data["postcode_district"],
                signposts=data["signposts"],
            )
            if "another" in request.POST:
                messages.success(request, "Conversation saved. You can log the next one.")
                # Back to this page, empty: its own path, without reverse() (about 100 us of
                # a save's CPU in the request, docs/performance.md, ninth round).
                return HttpResponseRedirect(request.path)
            messages.success(request, "Conversation saved.")
            return redirect("referrals:conversation_detail", conversation.uuid)
        # Only a form shown again needs the matching services (a save redirects).
        services_found, chosen = _matching(request.POST)
    else:
        form = ConversationForm(initial=_initial(request, organisation))
    return render(
        request,
        "referrals/conversation_log.html",
        {
            "form": form,
            "organisation": organisation,
            "matching_services": services_found,
            "chosen": chosen,
            "searched": request.method == "POST",
        },
    )


@permission_required(Permission.LOG_CONVERSATION)
@require_GET
def conversation_services(request: HttpRequest) -> HttpResponse:
    """The services matching the chosen topics and borough (htmx swaps this in)."""
    services_found, chosen = _matching(request.GET)
    return render(
        request,
        "referrals/includes/matching_services.html",
        {"matching_services": services_found, "chosen": chosen, "searched": True},
    )


@login_required
@require_GET
def conversation_detail(request: HttpRequest, conversation_uuid: UUID) -> HttpResponse:
    conversation = selectors.conversation_for(user=request.user, uuid=conversation_uuid)
    is_author = conversation.author_id == request.user.pk
    referrals = list(conversation.referrals.all())
    done = {(r.service_id, r.kind) for r in referrals}
    suggestions = (
        selectors.services_matching(topics=list(conversation.topics.all()), area=conversation.area)
        if is_author
        else []
    )
    return render(
        request,
        "referrals/conversation_detail.html",
        {
            "conversation": conversation,
            "is_author": is_author,
            "editable": services.conversation_is_editable(
                conversation=conversation, user=request.user
            ),
            "signposts": [r for r in referrals if r.kind == r.Kind.SIGNPOST],
            "referrals": [r for r in referrals if r.kind == r.Kind.REFERRAL],
            "suggestions": [
                {
                    "service": s,
                    "signposted": (s.pk, "signpost") in done,
                    "referred": (s.pk, "referral") in done,
                    "can_refer": s.referral_route == Service.ReferralRoute.PROFESSIONAL_REFERRAL,
                }
                for s in suggestions
            ],
        },
    )


@permission_required(Permission.LOG_CONVERSATION)
def conversation_edit(request: HttpRequest, conversation_uuid: UUID) -> HttpResponse:
    conversation = selectors.own_conversation(user=request.user, uuid=conversation_uuid)
    if not services.conversation_is_editable(conversation=conversation, user=request.user):
        messages.error(
            request, "You can only change a conversation in the 24 hours after you log it."
        )
        return redirect("referrals:conversation_detail", conversation.uuid)
    if request.method == "POST":
        form = ConversationCorrectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.conversation_update(
                    conversation=conversation,
                    actor=request.user,  # type: ignore[arg-type]
                    setting=data["setting"],
                    mecc_level=data["mecc_level"],
                    outcome=data["outcome"],
                    topics=data["topics"],
                    age_band=data["age_band"],
                    sex=data["sex"],
                    ethnic_group=data["ethnic_group"],
                    postcode_district=data["postcode_district"],
                )
            except services.ConversationLocked:
                messages.error(
                    request, "You can only change a conversation in the 24 hours after you log it."
                )
            else:
                messages.success(request, "Conversation updated.")
            return redirect("referrals:conversation_detail", conversation.uuid)
    else:
        form = ConversationCorrectionForm(
            initial={
                "topics": list(conversation.topics.all()),
                "mecc_level": conversation.mecc_level,
                "outcome": conversation.outcome,
                "setting": conversation.setting,
                "age_band": conversation.age_band,
                "sex": conversation.sex,
                "ethnic_group": conversation.ethnic_group,
                "postcode_district": conversation.postcode_district,
            }
        )
    return render(
        request, "referrals/conversation_edit.html", {"form": form, "conversation": conversation}
    )


@require_POST
@permission_required(Permission.LOG_CONVERSATION)
def signpost_create(
    request: HttpRequest, conversation_uuid: UUID, service_uuid: UUID
) -> HttpResponseRedirect:
    conversation = selectors.own_conversation(user=request.user, uuid=conversation_uuid)
    service = selectors.service_for_conversation(uuid=service_uuid)
    try:
        services.signpost_create(
            conversation=conversation,
            service=service,
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Signpost to {service.name} recorded.")
    return redirect("referrals:conversation_detail", conversation.uuid)


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@permission_required(Permission.LOG_CONVERSATION)
@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.conversations_of(user=request.user))
    return render(
        request,
        "referrals/conversation_list.html",
        {"page": page, "title": "My conversations", "show_author": False},
    )


@permission_required(Permission.MANAGE_STAFF)
@require_GET
def organisation_conversations(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.conversations_of_organisations(user=request.user))
    return render(
        request,
        "referrals/conversation_list.html",
        {"page": page, "title": "Your organisation's conversations", "show_author": True},
    )


@permission_required(Permission.MANAGE_STAFF)
@require_GET
def organisation_conversations_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every conversation in the user's organisations as CSV, streamed (no resident names)."""
    audit_record(actor=request.user, action="conversations.exported", request=request, details={})
    response = StreamingHttpResponse(
        conversation_csv(selectors.conversations_for_export(user=request.user)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mecc-conversations.csv"'
    return response


@permission_required(Permission.LOG_CONVERSATION)
@require_GET
def my_impact(request: HttpRequest) -> HttpResponse:
    return render(
        request, "referrals/impact.html", {"impact": selectors.impact_of(user=request.user)}
    )


@login_required
@require_GET
def service_share(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    """A printable card and QR code for a service; nothing about the resident is stored."""
    service = selectors.service_for_conversation(uuid=service_uuid)
    short_url = request.build_absolute_uri(
        reverse("referrals:service_short_link", args=[short_code(service.pk)])
    )
    return render(
        request,
        "referrals/service_share.html",
        {
            "service": service,
            "short_url": short_url,
            "qr_code": qr_code_svg(short_url, label=f"QR code for {service.name}"),
        },
    )


@require_GET
def service_short_link(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """The short link on a shared card: on to the service's public page."""
    pk = service_pk_from_short_code(code)
    service = Service.objects.filter(pk=pk).only("uuid").first() if pk is not None else None
    if service is None:
        raise Http404("Not found")
    return redirect(public_listing_url(service))
