"""Trainers and training leads: their sessions, creating and changing them, the register."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from training import selectors, services
from training.forms import RegisterForm, SessionCancelForm, SessionForm
from training.models import Session
from training.services import TrainingError
from training.views._access import needs, user_of


@needs(Permission.RUN_SESSIONS)
def sessions_manage(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = selectors.sessions_manageable(request.user).order_by("starts_at")
    return render(
        request,
        "training/sessions_manage.html",
        {
            "upcoming": sessions.filter(ends_at__gte=now),
            "past": sessions.filter(ends_at__lt=now).order_by("-starts_at")[:50],
        },
    )


def _session_form(request: HttpRequest, **kwargs: object) -> SessionForm:
    return SessionForm(
        request.POST or None,
        organisations=access.organisations_in_scope(request.user, Permission.RUN_SESSIONS),
        trainers=selectors.trainers_for(request.user),
        **kwargs,  # type: ignore[arg-type]
    )


@needs(Permission.RUN_SESSIONS)
def session_create(request: HttpRequest) -> HttpResponse:
    form = _session_form(
        request, initial={"trainers": [request.user.pk]}, submit_label="Create session"
    )
    if request.method == "POST" and form.is_valid():
        session = services.session_create(
            actor=user_of(request),
            course=form.cleaned_data["course"],
            organisation=form.cleaned_data["organisation"],
            trainers=form.cleaned_data["trainers"],
            request=request,
            **form.service_kwargs(),
        )
        messages.success(request, "The session is in the catalogue and open for booking.")
        return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": None})


def _initial(session: Session) -> dict[str, object]:
    local_start = timezone.localtime(session.starts_at)
    return {
        "organisation": session.organisation_id,
        "course": session.course_id,
        "date": local_start.date(),
        "start_time": local_start.strftime("%H:%M"),
        "end_time": timezone.localtime(session.ends_at).strftime("%H:%M"),
        "capacity": session.capacity,
        "venue_name": session.venue_name,
        "venue_address": session.venue_address,
        "area": session.area_id,
        "joining_url": session.joining_url,
        "trainers": [t.pk for t in session.trainers.all()],
        "trainer_cost": session.trainer_cost_pence / 100,
        "venue_cost": session.venue_cost_pence / 100,
        "materials_cost": session.materials_cost_pence / 100,
    }


@needs(Permission.RUN_SESSIONS)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_manageable_get(request.user, pk=pk)
    form = _session_form(request, initial=_initial(session), submit_label="Save changes")
    form.fields["organisation"].disabled = True
    form.fields["course"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session,
                actor=user_of(request),
                trainers=form.cleaned_data["trainers"],
                request=request,
                **form.service_kwargs(),
            )
        except TrainingError as exc:
            form.add_error("capacity", str(exc))
        else:
            messages.success(request, "The session is updated.")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


@needs(Permission.RUN_SESSIONS)
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_manageable_get(request.user, pk=pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                session=session,
                actor=user_of(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The session is cancelled and everyone booked is told.")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_cancel.html", {"session": session, "form": form})


@needs(Permission.RUN_SESSIONS)
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_manageable_get(request.user, pk=pk)
    bookings = list(selectors.register_bookings(session=session))
    form = RegisterForm(request.POST or None, bookings=bookings)
    is_open = services.register_is_open(session)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            changed = services.register_record(
                session=session,
                actor=user_of(request),
                attendance=form.attendance(),
                request=request,
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The register is saved ({changed} changed).")
            return redirect("training:session_register", pk=session.pk)
    return render(
        request,
        "training/register.html",
        {"session": session, "form": form, "bookings": bookings, "is_open": is_open},
    )
