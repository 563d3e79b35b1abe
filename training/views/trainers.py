"""Train the trainer: a training lead's trainers, their reach, and the cascade."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import Permission
from training import presenters, selectors, services
from training.forms import TrainerAccreditationForm
from training.services import TrainingError
from training.views._access import needs, user_of


@needs(Permission.MANAGE_TRAINING)
def trainers(request: HttpRequest) -> HttpResponse:
    people = list(selectors.trainers_managed(request.user))
    return render(
        request,
        "training/trainers.html",
        {"trainers": people, "cascade": presenters.trainer_cascade(people)},
    )


@needs(Permission.MANAGE_TRAINING)
def trainer_accreditation(request: HttpRequest) -> HttpResponse:
    form = TrainerAccreditationForm(
        request.POST or None,
        trainers=selectors.trainers_managed(request.user),
        trained_by=selectors.trainer_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trainer_accreditation_record(
                actor=user_of(request),
                trainer=form.cleaned_data["trainer"],
                programme=form.cleaned_data["programme"],
                accredited_on=form.cleaned_data["accredited_on"],
                trained_by=form.cleaned_data["trained_by"],
                trained_by_name=form.cleaned_data["trained_by_name"],
                request=request,
            )
        except TrainingError as exc:
            form.add_error("trained_by", str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("training:trainers")
    return render(request, "training/trainer_accreditation.html", {"form": form})
