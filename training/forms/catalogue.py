"""Filtering the catalogue and compliance, and booking staff onto a session."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from accounts.models import Area, User
from core.crispy import NHSDateField, Submit
from training.forms._common import _set_queryset
from training.models import Course, Programme


class CatalogueFilterForm(forms.Form):
    hide_optional_marker = True  # filters are all optional: no "(optional)" on each label

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


class BookStaffForm(forms.Form):
    learner = forms.ModelChoiceField(
        User.objects.none(),
        label="Who do you want to book?",
        error_messages={"required": "Choose who to book"},
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "learner", staff)


class ComplianceFilterForm(forms.Form):
    hide_optional_marker = True  # filters are all optional: no "(optional)" on each label
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
