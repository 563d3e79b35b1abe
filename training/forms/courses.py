"""A course in the catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from accounts.models import Organisation
from core.crispy import Fieldset, Submit
from training.forms._common import _optional_marker_off, _pence, _set_queryset
from training.models import Course, Programme


class CourseForm(forms.Form):
    """A course in the catalogue, provided by an organisation the user manages."""

    title = forms.CharField(label="Course title", max_length=200)
    programme = forms.ModelChoiceField(Programme.objects.all(), empty_label="Choose a programme")
    level = forms.TypedChoiceField(
        label="Level",
        choices=Course.Level.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only for programmes offered at levels 1 to 3 (Making Every Contact Count)",
    )
    delivery_mode = forms.ChoiceField(
        label="How it is delivered", choices=Course.Mode.choices, widget=forms.RadioSelect
    )
    external_url = forms.URLField(
        label="Link to the e-learning",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Needed for e-learning: where learners take the course",
    )
    duration_minutes = forms.IntegerField(
        label="How long it takes, in minutes", min_value=5, max_value=10_000
    )
    is_free = forms.BooleanField(label="This course is free", required=False)
    cost = forms.DecimalField(
        label="Cost per learner, in pounds",
        required=False,
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        help_text="Needed unless the course is free",
    )
    provider = forms.ModelChoiceField(Organisation.objects.none(), label="Provided by")
    audience = forms.CharField(label="Who it is for", required=False, max_length=300)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_refresher = forms.BooleanField(label="This is a refresher course", required=False)
    is_active = forms.BooleanField(
        label="Show this course in the catalogue",
        required=False,
        initial=True,
        help_text="Untick to hide it; its past sessions and certificates are kept",
    )

    def __init__(
        self, *args: Any, organisations: Any, submit_label: str = "Save course", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "provider", organisations)
        _optional_marker_off(self, "level", "external_url", "cost")
        self.fields["duration_minutes"].widget.attrs["class"] = "nhsuk-input--width-5"
        self.fields["cost"].widget.attrs["class"] = "nhsuk-input--width-10"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title",
            "programme",
            "level",
            "delivery_mode",
            "external_url",
            "duration_minutes",
            Fieldset("Cost", "is_free", "cost"),
            "provider",
            "audience",
            "description",
            "is_refresher",
            "is_active",
        )
        self.helper.add_input(Submit("save", submit_label))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme = data.get("programme")
        if isinstance(programme, Programme):
            if programme.has_levels and data.get("level") is None:
                self.add_error("level", f"Choose the level of this {programme.name} course")
            elif not programme.has_levels and data.get("level") is not None:
                self.add_error("level", f"{programme.name} courses have no levels: leave it blank")
        if data.get("delivery_mode") == Course.Mode.E_LEARNING and not data.get("external_url"):
            self.add_error("external_url", "Enter the link to the e-learning")
        cost = data.get("cost")
        if data.get("is_free"):
            if cost:
                self.add_error("cost", "A free course has no cost: remove the cost or untick free")
        elif "cost" not in self.errors and not cost:
            self.add_error("cost", "Enter the cost per learner, or tick that the course is free")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "programme": data["programme"],
            "title": data["title"],
            "level": data["level"],
            "delivery_mode": data["delivery_mode"],
            "external_url": data["external_url"],
            "duration_minutes": data["duration_minutes"],
            "cost_pence": 0 if data["is_free"] else _pence(data["cost"]),
            "provider": data["provider"],
            "audience": data["audience"],
            "description": data["description"],
            "is_refresher": data["is_refresher"],
            "is_active": data["is_active"],
        }

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        return {
            "title": course.title,
            "programme": course.programme_id,
            "level": course.level,
            "delivery_mode": course.delivery_mode,
            "external_url": course.external_url,
            "duration_minutes": course.duration_minutes,
            "is_free": course.is_free,
            "cost": None if course.is_free else Decimal(course.cost_pence) / 100,
            "provider": course.provider_id,
            "audience": course.audience,
            "description": course.description,
            "is_refresher": course.is_refresher,
            "is_active": course.is_active,
        }
