"""A session's details, cancelling it, and its register."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone

from accounts.models import Area, Organisation, User
from core.crispy import Fieldset, NHSDateField, Submit
from core.fields import ModelMultipleChoiceField
from training.forms._common import _money_field, _pence, _set_queryset
from training.models import Booking, Course


class SessionForm(forms.Form):
    """A session's details; times are on the session's date, London time."""

    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Run by")
    course = forms.ModelChoiceField(Course.objects.none())
    date = NHSDateField(label="Date", help_text="For example, 27 3 2027")
    start_time = forms.TimeField(
        label="Start time", help_text="24-hour clock, for example 09:30", input_formats=["%H:%M"]
    )
    end_time = forms.TimeField(label="End time", input_formats=["%H:%M"])
    capacity = forms.IntegerField(label="Number of places", min_value=1, max_value=500)
    venue_name = forms.CharField(label="Venue", required=False, max_length=200)
    venue_address = forms.CharField(label="Venue address", required=False, max_length=300)
    area = forms.ModelChoiceField(
        Area.objects.filter(kind=Area.Kind.BOROUGH), label="Borough", required=False
    )
    joining_url = forms.URLField(
        label="Joining link",
        required=False,
        help_text="For a virtual session",
        assume_scheme="https",
    )
    trainers = ModelMultipleChoiceField(User.objects.none(), widget=forms.CheckboxSelectMultiple)
    trainer_cost = _money_field("Trainer cost, in pounds")
    venue_cost = _money_field("Venue cost, in pounds")
    materials_cost = _money_field("Materials cost, in pounds")

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        trainers: Any,
        submit_label: str = "Save session",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organisation", organisations)
        courses = Course.objects.filter(is_active=True).exclude(
            delivery_mode=Course.Mode.E_LEARNING
        )
        _set_queryset(self, "course", courses.select_related("programme"))
        _set_queryset(self, "trainers", trainers)
        self.fields["start_time"].widget.attrs["class"] = "nhsuk-input--width-5"
        self.fields["end_time"].widget.attrs["class"] = "nhsuk-input--width-5"
        self.fields["capacity"].widget.attrs["class"] = "nhsuk-input--width-4"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "organisation",
            "course",
            Fieldset("When", "date", "start_time", "end_time"),
            "capacity",
            Fieldset("Where", "venue_name", "venue_address", "area", "joining_url"),
            "trainers",
            Fieldset(
                "Costs of running it",
                "trainer_cost",
                "venue_cost",
                "materials_cost",
            ),
        )
        self.helper.add_input(Submit("save", submit_label))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and isinstance(start, time) and isinstance(end, time):
            tz = timezone.get_current_timezone()
            data["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = datetime.combine(day, end, tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", "End time must be after the start time")
            elif data["starts_at"] <= timezone.now():
                self.add_error("date", "The session must start in the future")
        course = data.get("course")
        if isinstance(course, Course):
            if course.delivery_mode == Course.Mode.FACE_TO_FACE and not data.get("venue_name"):
                self.add_error("venue_name", "Enter the venue")
            if course.delivery_mode == Course.Mode.VIRTUAL and not data.get("joining_url"):
                self.add_error("joining_url", "Enter the joining link")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "venue_name": data["venue_name"],
            "venue_address": data["venue_address"],
            "area": data["area"],
            "joining_url": data["joining_url"],
            "trainer_cost_pence": _pence(data["trainer_cost"]),
            "venue_cost_pence": _pence(data["venue_cost"]),
            "materials_cost_pence": _pence(data["materials_cost"]),
        }


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        help_text="Everyone booked is told this",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the session is cancelled"},
    )


class RegisterForm(forms.Form):
    """One attended / did not attend choice per person with a place."""

    CHOICES = [
        (Booking.Status.ATTENDED.value, "Attended"),
        (Booking.Status.NO_SHOW.value, "Did not attend"),
    ]

    def __init__(self, *args: Any, bookings: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for booking in bookings:
            initial = booking.status if booking.status != Booking.Status.BOOKED else None
            self.fields[f"booking_{booking.pk}"] = forms.ChoiceField(
                label=booking.learner.get_full_name(),
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={
                    "required": f"Choose attended or did not attend for {booking.learner}"
                },
            )

    def attendance(self) -> dict[int, str]:
        return {
            booking.pk: self.cleaned_data[f"booking_{booking.pk}"]
            for booking in self.bookings
            if self.cleaned_data.get(f"booking_{booking.pk}")
        }
