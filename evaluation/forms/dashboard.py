"""The dashboard filters (a GET form: every view has a link), and the report request."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.http import QueryDict

from accounts.models import Area, Organisation, StaffGroup
from core.crispy import Submit
from evaluation.models import Report
from evaluation.selectors.dashboard import DashboardFilters, DashboardScope, Period
from referrals.selectors.rollups import topics_all
from training.selectors.rollups import programmes_all

PERIODS = [
    ("3", "Last 3 months"),
    ("6", "Last 6 months"),
    ("12", "Last 12 months"),
    ("18", "Last 18 months"),
    ("24", "Last 24 months"),
]
DEFAULT_PERIOD = "12"


class DashboardFilterForm(forms.Form):
    hide_optional_marker = True  # filters are all optional: no "(optional)" on each label
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None,
        label="Borough",
        required=False,
        empty_label="All boroughs you can see",
        error_messages={"invalid_choice": "Select a borough from the list"},
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        required=False,
        empty_label="All organisations",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    programme = forms.TypedChoiceField(
        label="Training programme",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Applies to the training figures only.",
        error_messages={"invalid_choice": "Select a programme from the list"},
    )
    staff_group = forms.ChoiceField(
        label="Staff group",
        required=False,
        choices=[("", "All staff groups"), *StaffGroup.choices],
        error_messages={"invalid_choice": "Select a staff group from the list"},
    )
    topic = forms.TypedChoiceField(
        label="Topic",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Applies to conversations and referrals.",
        error_messages={"invalid_choice": "Select a topic from the list"},
    )
    period = forms.ChoiceField(
        label="Period",
        required=False,
        choices=PERIODS,
        initial=DEFAULT_PERIOD,
        error_messages={"invalid_choice": "Select a period from the list"},
    )

    def __init__(self, *args: Any, scope: DashboardScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("period"):
            # A link with other filters but no period shows the default period: say so.
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data["period"] = DEFAULT_PERIOD
            self.data = data
        self.fields["area"].queryset = scope.boroughs  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = scope.organisations  # type: ignore[attr-defined]
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", "All programmes"),
            *programmes_all().values_list("pk", "name"),
        ]
        self.fields["topic"].choices = [  # type: ignore[attr-defined]
            ("", "All topics"),
            *topics_all().values_list("pk", "name"),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.add_input(Submit("apply", "Apply filters"))

    def filters(self) -> DashboardFilters:
        """The valid filters (an invalid one is dropped; the error summary says which)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return DashboardFilters(
            period=Period.last(int(data.get("period") or DEFAULT_PERIOD)),
            area=data.get("area"),
            organisation=data.get("organisation"),
            programme_id=data.get("programme"),
            staff_group=data.get("staff_group") or "",
            topic_id=data.get("topic"),
        )


class ReportRequestForm(forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=Report.Format.choices,
        initial=Report.Format.PDF,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a format for the report"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
