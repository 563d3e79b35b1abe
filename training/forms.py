"""Validation only: the services do the writing."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone

from accounts.models import Area, Organisation, User
from core.crispy import Fieldset, NHSDateField, Submit
from training.models import Booking, Course, Programme, QualityCriterion, QualityScore


class CatalogueFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        Programme.objects.all(), required=False, empty_label="All programmes"
    )
    mode = forms.ChoiceField(
        label="How it is delivered",
        choices=[("", "Any way"), *Course.Mode.choices],
        required=False,
    )
    area = forms.ModelChoiceField(
        Area.objects.filter(kind=Area.Kind.BOROUGH),
        label="Borough",
        required=False,
        empty_label="Any borough",
    )
    on_or_after = NHSDateField(label="Sessions on or after", required=False)
    free_only = forms.BooleanField(label="Free courses only", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.add_input(Submit("filter", "Apply filters"))


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def _money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, initial=0, min_value=Decimal("0"), max_digits=9, decimal_places=2
    )


def _pence(value: Decimal | None) -> int:
    return int((value or Decimal("0")) * 100)


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
    trainers = forms.ModelMultipleChoiceField(
        User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
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


class BookStaffForm(forms.Form):
    learner = forms.ModelChoiceField(
        User.objects.none(),
        label="Who do you want to book?",
        error_messages={"required": "Choose who to book"},
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "learner", staff)


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


class ComplianceFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        Programme.objects.all(), empty_label=None, to_field_name="code"
    )
    status = forms.ChoiceField(
        label="Show",
        choices=[
            ("all", "Everyone"),
            ("never", "Never trained"),
            ("expired", "Expired"),
            ("expiring", "Expiring within 60 days"),
            ("trained", "Trained"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("show", "Show"))


# --- Quality marker -----------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Extension -> the first bytes a real file of that type starts with.
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
}


def validate_evidence_file(upload: Any) -> None:
    """Evidence uploads: at most 5 MB, and a PDF, Word, Excel, PowerPoint or image file."""
    name = str(getattr(upload, "name", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise forms.ValidationError(
            "The selected file must be a PDF, Word, Excel, PowerPoint, PNG or JPG file"
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError("The selected file must be smaller than 5MB")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[extension]):
        raise forms.ValidationError(f"The selected file is not a real .{extension} file")


class QualityAssessmentForm(forms.Form):
    SCORE_CHOICES = [(str(value), label) for value, label in QualityScore.Score.choices]

    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Organisation")
    course = forms.ModelChoiceField(Course.objects.none(), label="Course you are assessing")

    def __init__(
        self,
        *args: Any,
        criteria: list[QualityCriterion],
        organisations: Any,
        existing: dict[int, QualityScore] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        _set_queryset(self, "organisation", organisations)
        _set_queryset(self, "course", Course.objects.filter(is_active=True))
        existing = existing or {}
        for criterion in criteria:
            current = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text,
                choices=self.SCORE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=str(current.score) if current else None,
            )
            self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                label="Evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=current.evidence if current else "",
            )
            self.fields[f"attachment_{criterion.pk}"] = forms.FileField(
                label="Attach a file (optional)",
                help_text="PDF, Word, Excel, PowerPoint, PNG or JPG, up to 5MB",
                required=False,
                validators=[validate_evidence_file],
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": c,
                "score": self[f"score_{c.pk}"],
                "evidence": self[f"evidence_{c.pk}"],
                "attachment": self[f"attachment_{c.pk}"],
            }
            for c in self.criteria
        ]

    def scores(self) -> list[tuple[QualityCriterion, int | None, str, Any]]:
        data = self.cleaned_data
        return [
            (
                c,
                int(data[f"score_{c.pk}"]) if data.get(f"score_{c.pk}") else None,
                data.get(f"evidence_{c.pk}", ""),
                data.get(f"attachment_{c.pk}"),
            )
            for c in self.criteria
        ]


class TrainerAccreditationForm(forms.Form):
    trainer = forms.ModelChoiceField(User.objects.none(), label="Trainer")
    programme = forms.ModelChoiceField(Programme.objects.all(), label="Programme they deliver")
    trained_by = forms.ModelChoiceField(
        User.objects.none(),
        label="Trained by a trainer in the portal",
        required=False,
        empty_label="Not in the portal",
    )
    trained_by_name = forms.CharField(
        label="Or, trained by (name and organisation)", required=False, max_length=200
    )
    accredited_on = NHSDateField(label="Date they qualified to deliver it")

    def __init__(self, *args: Any, trainers: Any, trained_by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "trainer", trainers)
        _set_queryset(self, "trained_by", trained_by)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("trained_by") and not data.get("trained_by_name", "").strip():
            self.add_error("trained_by_name", "Enter who trained them, or choose them above")
        on = data.get("accredited_on")
        if on and on > timezone.localdate():
            self.add_error("accredited_on", "Date they qualified must be today or in the past")
        return data


IMPORT_MAX_BYTES = 2 * 1024 * 1024


class CompletionImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: email, course, completed_on and, if you have them, "
        "certificate_number. Up to 2MB.",
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self) -> tuple[str, str]:
        upload = self.cleaned_data["file"]
        if not str(upload.name).lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2MB")
        try:
            content = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The selected file must be saved as UTF-8 CSV") from exc
        return str(upload.name), content
