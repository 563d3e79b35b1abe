"""The workforce numbers page: a date, then one headcount per staff group."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils import timezone

from accounts.models import StaffGroup
from core.crispy import NHSDateField
from evaluation.models.workforce import MAX_HEADCOUNT

STAFF_GROUPS = list(StaffGroup)


class AsOfForm(forms.Form):
    as_of = NHSDateField(
        label="Date these numbers are correct on",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the date these numbers are correct on"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return as_of


class HeadcountForm(forms.Form):
    headcount = forms.IntegerField(required=False, min_value=0, max_value=MAX_HEADCOUNT)

    def __init__(self, *args: Any, staff_group: StaffGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_group = staff_group
        field = self.fields["headcount"]
        field.label = staff_group.label
        name = staff_group.label[:1].lower() + staff_group.label[1:]
        field.error_messages.update(
            invalid=f"Enter the number of people in {name} as a whole number, like 120",
            min_value=f"The number of people in {name} must be 0 or more",
            max_value=f"The number of people in {name} must be {MAX_HEADCOUNT:,} or fewer",
        )
        field.widget.attrs.update({"class": "nhsuk-input--width-5", "inputmode": "numeric"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class BaseHeadcountFormSet(BaseFormSet[HeadcountForm]):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        group = STAFF_GROUPS[index] if index is not None else StaffGroup.OTHER
        return {**super().get_form_kwargs(index), "staff_group": group}

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if all(form.cleaned_data.get("headcount") is None for form in self.forms):
            raise forms.ValidationError("Enter the number of people in at least one staff group")

    def headcounts(self) -> dict[str, int | None]:
        return {form.staff_group.value: form.cleaned_data.get("headcount") for form in self.forms}


HeadcountFormSet = formset_factory(
    HeadcountForm,
    formset=BaseHeadcountFormSet,
    extra=0,
    min_num=len(STAFF_GROUPS),
    max_num=len(STAFF_GROUPS),
    # One form per staff group, whatever TOTAL_FORMS a client posts.
    absolute_max=len(STAFF_GROUPS),
    validate_min=True,
    validate_max=True,
)


def headcount_formset(data: Any, *, current: dict[str, int]) -> BaseHeadcountFormSet:
    """The formset with today's figures filled in, one form per staff group, in order."""
    initial = [{"headcount": current.get(group.value)} for group in STAFF_GROUPS]
    formset = HeadcountFormSet(data, initial=initial, prefix="groups")
    formset.helper = FormHelper()  # type: ignore[attr-defined]
    formset.helper.form_tag = False  # type: ignore[attr-defined]
    formset.helper.disable_csrf = True  # type: ignore[attr-defined]
    return formset  # type: ignore[return-value]
