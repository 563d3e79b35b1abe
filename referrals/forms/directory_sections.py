"""Forms for the sections of a listing edited on their own pages: places, opening hours,
phone numbers and contacts. Each section is a formset with one blank row for adding and a
"remove" tick box on each existing row, so it works without JavaScript.

Validation only: `entries()` turns a valid formset into the plain values the services save.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.formsets import BaseFormSet, formset_factory

from referrals import postcodes
from referrals.presenters.directory import DAY_NAMES
from referrals.services.directory_sections import (
    ContactEntry,
    LocationEntry,
    PhoneEntry,
    ScheduleEntry,
)

MAX_ROWS = 20
DAY_CHOICES = list(DAY_NAMES.items())


class _SectionForm(forms.Form):
    """A row: a hidden id for an existing record, and a box to tick to remove it."""

    record = forms.UUIDField(required=False, widget=forms.HiddenInput)
    remove = forms.BooleanField(label="Remove this", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove"] = self.fields.pop("remove")  # last, after the row's values
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @property
    def is_existing(self) -> bool:
        return bool(self.initial.get("record"))

    @property
    def is_removed(self) -> bool:
        return bool(self.is_existing and self.cleaned_data.get("remove"))

    def full_clean(self) -> None:
        super().full_clean()
        # A ticked "remove" box means the row's other values do not matter.
        if self.is_bound and self.is_existing and self._ticked_remove():
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {"record": self.initial["record"], "remove": True}

    def _ticked_remove(self) -> bool:
        value = self.data.get(self.add_prefix("remove"))
        return str(value).lower() in ("on", "true", "1")


class _SectionFormSet(BaseFormSet[Any]):
    def __init__(self, *args: Any, allowed: set[UUID], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            # Each row must still be the record it was when the page was opened.
            posted = form.data.get(form.add_prefix("record")) or ""
            expected = form.initial.get("record")
            if str(posted) != (str(expected) if expected else "") or (
                expected and expected not in self.allowed
            ):
                raise forms.ValidationError(
                    "Someone else changed this part of the listing: open the page again"
                )

    def kept_forms(self) -> list[_SectionForm]:
        """Existing rows not removed, and new rows someone filled in."""
        return [
            form
            for form in self.forms
            if not form.is_removed and (form.is_existing or form.has_changed())
        ]

    def removed(self) -> list[UUID]:
        return [form.initial["record"] for form in self.forms if form.is_removed]


def _build(
    formset_class: type[_SectionFormSet],
    data: Any,
    *,
    initial: list[dict[str, Any]],
    prefix: str,
) -> Any:
    allowed = {row["record"] for row in initial}
    formset = formset_class(data, initial=initial, prefix=prefix, allowed=allowed)
    for form in formset.forms:
        if not form.initial.get("record"):
            del form.fields["remove"]
    return formset


# --- Places -------------------------------------------------------------------------------


class LocationForm(_SectionForm):
    name = forms.CharField(
        label="Name of the place",
        max_length=200,
        help_text="For example, Wood Green Library",
        error_messages={"required": "Enter the name of the place"},
    )
    address_1 = forms.CharField(label="Address", max_length=200, required=False)
    city = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={
            "required": "Enter the postcode of the place",
            "max_length": "Enter a real postcode, like N17 9LT",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {"class": "nhsuk-input--width-10", "autocomplete": "postal-code"}
        )
        self.fields["city"].widget.attrs["class"] = "nhsuk-u-width-two-thirds"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = data.get("postcode")
        if raw:
            try:
                parsed = postcodes.parse(raw, allow_district=False)
                point = postcodes.locate(parsed.text)
            except postcodes.PostcodeError as exc:
                self.add_error("postcode", str(exc))
            else:
                data["postcode"] = parsed.text
                data["point"] = point
        return data


class LocationFormSet(_SectionFormSet):
    def entries(self) -> list[LocationEntry]:
        return [
            LocationEntry(
                record=form.initial.get("record"),
                name=form.cleaned_data["name"],
                address_1=form.cleaned_data["address_1"],
                city=form.cleaned_data["city"],
                postcode=form.cleaned_data["postcode"],
                latitude=form.cleaned_data["point"].latitude,
                longitude=form.cleaned_data["point"].longitude,
            )
            for form in self.kept_forms()
        ]


# --- Opening hours ------------------------------------------------------------------------


class ScheduleForm(_SectionForm):
    days = forms.MultipleChoiceField(
        label="Days",
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the days these hours apply to"},
    )
    opens_at = forms.TimeField(
        label="Opens at",
        help_text="Use the 24-hour clock, for example 09:30",
        error_messages={
            "required": "Enter the time it opens",
            "invalid": "Enter the time it opens like 09:30",
        },
    )
    closes_at = forms.TimeField(
        label="Closes at",
        help_text="For example, 17:00",
        error_messages={
            "required": "Enter the time it closes",
            "invalid": "Enter the time it closes like 17:00",
        },
    )
    description = forms.CharField(
        label="Note",
        max_length=300,
        required=False,
        help_text="For example, drop-in, no appointment needed",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].widget = forms.TimeInput(
                format="%H:%M", attrs={"class": "nhsuk-input--width-5"}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None and opens >= closes:
            self.add_error("closes_at", "The closing time must be later than the opening time")
        return data


class ScheduleFormSet(_SectionFormSet):
    def entries(self) -> list[ScheduleEntry]:
        order = list(DAY_NAMES)
        return [
            ScheduleEntry(
                record=form.initial.get("record"),
                byday=",".join(sorted(form.cleaned_data["days"], key=order.index)),
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                description=form.cleaned_data["description"],
            )
            for form in self.kept_forms()
        ]


# --- Phone numbers and contacts -----------------------------------------------------------


class PhoneForm(_SectionForm):
    number = forms.CharField(
        label="Phone number",
        max_length=30,
        error_messages={"required": "Enter the phone number"},
    )
    description = forms.CharField(
        label="What the number is for",
        max_length=200,
        required=False,
        help_text="For example, Main number",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget = forms.TextInput(
            attrs={"class": "nhsuk-input--width-20", "type": "tel", "autocomplete": "off"}
        )

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        digits = [c for c in number if c.isdigit()]
        if len(digits) < 5 or any(c not in "0123456789 +()-" for c in number):
            raise forms.ValidationError("Enter a phone number, like 020 7946 0000")
        return number


class PhoneFormSet(_SectionFormSet):
    def entries(self) -> list[PhoneEntry]:
        return [
            PhoneEntry(
                record=form.initial.get("record"),
                number=form.cleaned_data["number"],
                description=form.cleaned_data["description"],
            )
            for form in self.kept_forms()
        ]


class ContactForm(_SectionForm):
    name = forms.CharField(label="Name", max_length=150, required=False)
    title = forms.CharField(label="Job title", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unnamed = not (data.get("name") or data.get("title"))
        if self.has_changed() and unnamed and "name" not in self.errors:
            self.add_error("name", "Enter the contact's name or job title")
        return data


class ContactFormSet(_SectionFormSet):
    def entries(self) -> list[ContactEntry]:
        return [
            ContactEntry(
                record=form.initial.get("record"),
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
                email=form.cleaned_data["email"],
            )
            for form in self.kept_forms()
        ]


def _factory(form: type[_SectionForm], formset: type[_SectionFormSet]) -> Any:
    return formset_factory(
        form, formset=formset, extra=1, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
    )


_LocationFormSet = _factory(LocationForm, LocationFormSet)
_ScheduleFormSet = _factory(ScheduleForm, ScheduleFormSet)
_PhoneFormSet = _factory(PhoneForm, PhoneFormSet)
_ContactFormSet = _factory(ContactForm, ContactFormSet)


def location_formset(data: Any, *, initial: list[dict[str, Any]]) -> LocationFormSet:
    formset: LocationFormSet = _build(_LocationFormSet, data, initial=initial, prefix="places")
    return formset


def schedule_formset(data: Any, *, initial: list[dict[str, Any]]) -> ScheduleFormSet:
    formset: ScheduleFormSet = _build(_ScheduleFormSet, data, initial=initial, prefix="hours")
    return formset


def phone_formset(data: Any, *, initial: list[dict[str, Any]]) -> PhoneFormSet:
    formset: PhoneFormSet = _build(_PhoneFormSet, data, initial=initial, prefix="phones")
    return formset


def contact_formset(data: Any, *, initial: list[dict[str, Any]]) -> ContactFormSet:
    formset: ContactFormSet = _build(_ContactFormSet, data, initial=initial, prefix="contacts")
    return formset
