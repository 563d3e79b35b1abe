"""The catalogue, session pages, booking and cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import Permission
from core.paths import reverse_remembered
from training import selectors, services
from training.documents import ICS_MIMETYPE, session_ics, session_ics_filename
from training.forms import BookStaffForm, CatalogueFilterForm
from training.models import Booking, Session
from training.services import TrainingError
from training.views._access import needs, user_of


@needs(Permission.BOOK_TRAINING)
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    area = filters.get("area")
    courses = selectors.catalogue_courses(
        programme=filters.get("programme"),
        mode=filters.get("mode", ""),
        area_id=area.pk if area else None,
        on_or_after=filters.get("on_or_after"),
        free_only=bool(filters.get("free_only")),
    )
    return render(request, "training/catalogue.html", {"form": form, "courses": courses})


@needs(Permission.BOOK_TRAINING)
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(selectors.catalogue_courses(), pk=pk)
    return render(request, "training/course_detail.html", {"course": course})


@needs(Permission.BOOK_TRAINING)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    booking = selectors.booking_of(session=session, learner=request.user)
    can_manage = selectors.sessions_manageable(request.user).filter(pk=pk).exists()
    context = {
        "session": session,
        "booking": booking,
        "waitlist_place": (
            selectors.waitlist_place(booking=booking)
            if booking and booking.status == Booking.Status.WAITLISTED
            else None
        ),
        "can_manage": can_manage,
        "bookings": selectors.session_bookings(session=session) if can_manage else [],
        "can_book_staff": access.can(request.user, Permission.MANAGE_STAFF),
    }
    return render(request, "training/session_detail.html", context)


def _session_or_404(pk: int) -> Session:
    try:
        return selectors.session_get(pk=pk)
    except Session.DoesNotExist as exc:
        raise Http404("Not found") from exc


@needs(Permission.BOOK_TRAINING)
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    response = HttpResponse(
        session_ics(session, cancelled=session.is_cancelled), content_type=ICS_MIMETYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{session_ics_filename(session)}"'
    return response


@require_POST
@needs(Permission.BOOK_TRAINING)
def session_book(request: HttpRequest, pk: int) -> HttpResponse:
    # Nothing of the session is read here: booking checks it under its lock (ADR 0014).
    learner = user_of(request)
    try:
        booking = services.booking_create(
            session=Session(pk=pk), learner=learner, actor=learner, request=request
        )
    except Session.DoesNotExist as exc:
        raise Http404("Not found") from exc
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        if booking.status == Booking.Status.BOOKED:
            messages.success(request, "You are booked on. We have emailed you a calendar invite.")
        else:
            messages.success(request, "The session is full, so you are on the waiting list.")
    return HttpResponseRedirect(reverse_remembered("training:session_detail", pk))


@needs(Permission.MANAGE_STAFF)
def session_book_staff(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    form = BookStaffForm(request.POST or None, staff=selectors.staff_bookable_by(request.user))
    if request.method == "POST" and form.is_valid():
        learner = form.cleaned_data["learner"]
        try:
            booking = services.booking_create(
                session=session, learner=learner, actor=user_of(request), request=request
            )
        except TrainingError as exc:
            form.add_error("learner", str(exc))
        else:
            booked = booking.status == Booking.Status.BOOKED
            messages.success(
                request,
                f"{learner} is booked on." if booked else f"{learner} is on the waiting list.",
            )
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/book_staff.html", {"session": session, "form": form})


@needs(Permission.BOOK_TRAINING)
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.select_related("session__course"),
        pk=pk,
        learner=request.user,
        status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED),
    )
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, actor=user_of(request), request=request)
        except TrainingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your booking is cancelled.")
        return redirect("training:session_detail", pk=booking.session_id)
    return render(request, "training/booking_cancel.html", {"booking": booking})
