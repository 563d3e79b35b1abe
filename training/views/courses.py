"""Training leads and administrators: their organisations' courses, adding and changing them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts import access
from accounts.access import Permission
from training import selectors, services
from training.forms import CourseForm
from training.services import TrainingError
from training.views._access import needs, user_of


@needs(Permission.MANAGE_TRAINING)
def courses_manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/courses_manage.html",
        {"courses": list(selectors.courses_manageable(request.user))},
    )


def _course_form(request: HttpRequest, **kwargs: object) -> CourseForm:
    return CourseForm(
        request.POST or None,
        organisations=access.organisations_in_scope(request.user, Permission.MANAGE_TRAINING),
        **kwargs,  # type: ignore[arg-type]
    )


@needs(Permission.MANAGE_TRAINING)
def course_create(request: HttpRequest) -> HttpResponse:
    form = _course_form(request, submit_label="Add course")
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                actor=user_of(request), request=request, **form.service_kwargs()
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{course.title} is added.")
            return redirect("training:courses_manage")
    return render(request, "training/course_form.html", {"form": form, "course": None})


@needs(Permission.MANAGE_TRAINING)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_manageable_get(request.user, pk=pk)
    form = _course_form(
        request, initial=CourseForm.initial_for(course), submit_label="Save changes"
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_update(
                course=course, actor=user_of(request), request=request, **form.service_kwargs()
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{course.title} is updated.")
            return redirect("training:courses_manage")
    return render(request, "training/course_form.html", {"form": form, "course": course})
