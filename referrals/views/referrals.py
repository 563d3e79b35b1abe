"""Referral pages: make one, the provider's inbox, a referral's timeline and its responses."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import Permission
from accounts.decorators import permission_required
from referrals.forms.referrals import ReferralForm, ReferralStatusForm
from referrals.models import Service
from referrals.presenters.activity import status_tag, timeline
from referrals.selectors import conversations as conversation_selectors
from referrals.selectors import referrals as selectors
from referrals.selectors.referrals import ReferralView
from referrals.services import referrals as services

PAGE_SIZE = 25


@permission_required(Permission.LOG_CONVERSATION)
def referral_create(
    request: HttpRequest, conversation_uuid: UUID, service_uuid: UUID
) -> HttpResponse:
    conversation = conversation_selectors.own_conversation(
        user=request.user, uuid=conversation_uuid
    )
    service = conversation_selectors.service_for_conversation(uuid=service_uuid)
    if service.referral_route != Service.ReferralRoute.PROFESSIONAL_REFERRAL:
        raise Http404("This service does not take referrals through the portal")
    statement = services.consent_statement_for(service)
    form = ReferralForm(request.POST or None, consent_statement=statement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                conversation=conversation,
                service=service,
                actor=request.user,  # type: ignore[arg-type]
                consent_given=data["consent"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                contact_preferred_time=data["contact_preferred_time"],
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Referral sent to {service.name}.")
            return redirect("referrals:referral_detail", referral.uuid)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "conversation": conversation,
            "service": service,
            "retention_days": settings.REFERRAL_CONTACT_RETENTION_DAYS,
            "max_open_days": settings.REFERRAL_CONTACT_MAX_OPEN_DAYS,
        },
    )


def _detail(
    request: HttpRequest,
    view: ReferralView,
    *,
    form: ReferralStatusForm | None = None,
    contact: services.ReferralContact | None = None,
    status: int = 200,
) -> HttpResponse:
    referral = view.referral
    allowed = (
        services.allowed_next_statuses(referral=referral, as_provider=True)
        if view.is_provider
        else services.allowed_next_statuses(referral=referral, as_provider=False)
        if view.is_referrer
        else []
    )
    if form is None and allowed:
        form = ReferralStatusForm(allowed=allowed)
    context: dict[str, Any] = {
        "referral": referral,
        "view": view,
        "tag": status_tag(referral),
        "timeline": timeline(
            list(referral.history.all()), show_people=view.is_provider or view.is_referrer
        ),
        "status_form": form if allowed else None,
        "contact": contact,
    }
    return render(request, "referrals/referral_detail.html", context, status=status)


@login_required
@require_GET
def referral_detail(request: HttpRequest, referral_uuid: UUID) -> HttpResponse:
    return _detail(request, selectors.referral_for(user=request.user, uuid=referral_uuid))


@login_required
@require_POST
def referral_status(request: HttpRequest, referral_uuid: UUID) -> HttpResponse:
    view = selectors.referral_for(user=request.user, uuid=referral_uuid)
    if not (view.is_provider or view.is_referrer):
        raise Http404("Not found")
    allowed = services.allowed_next_statuses(referral=view.referral, as_provider=view.is_provider)
    form = ReferralStatusForm(request.POST, allowed=allowed)
    if not form.is_valid():
        return _detail(request, view, form=form, status=400)
    try:
        services.referral_status_update(
            referral=view.referral,
            actor=request.user,  # type: ignore[arg-type]
            status=form.cleaned_data["status"],
            as_provider=view.is_provider,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        form.add_error(None, text)
        return _detail(request, view, form=form, status=409)
    messages.success(request, "Referral updated.")
    return redirect("referrals:referral_detail", view.referral.uuid)


@login_required
@require_POST
def referral_contact(request: HttpRequest, referral_uuid: UUID) -> HttpResponse:
    """Show the resident's contact details to the provider, recording that they looked."""
    view = selectors.referral_for(user=request.user, uuid=referral_uuid)
    if not view.may_see_contact:
        raise Http404("Not found")
    contact = services.referral_contact_view(
        referral=view.referral,
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return _detail(request, view, contact=contact)


def _list(request: HttpRequest, queryset: Any, **context: Any) -> HttpResponse:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"referral": r, "tag": status_tag(r)} for r in page.object_list]
    return render(request, "referrals/referral_list.html", {"page": page, "rows": rows, **context})


@permission_required(Permission.RESPOND_TO_REFERRALS)
@require_GET
def referral_inbox(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    return _list(
        request,
        selectors.referrals_inbox(user=request.user, open_only=not show_all),
        title="Referral inbox",
        is_inbox=True,
        show_all=show_all,
    )


@permission_required(Permission.LOG_CONVERSATION)
@require_GET
def referrals_sent(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        selectors.referrals_sent_by(user=request.user),
        title="Referrals you made",
        is_inbox=False,
    )
