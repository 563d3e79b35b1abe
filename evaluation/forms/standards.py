"""Setting a standard (administrators)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from accounts.models import Area
from core.crispy import Submit
from evaluation.models import BenchmarkIndicator


class StandardForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator",
        choices=[("", "Choose an indicator"), *BenchmarkIndicator.choices],
        error_messages={
            "required": "Select an indicator",
            "invalid_choice": "Select an indicator from the list",
        },
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.filter(kind=Area.Kind.BOROUGH),
        label="Borough",
        empty_label="Choose a borough",
        error_messages={
            "required": "Select a borough",
            "invalid_choice": "Select a borough from the list",
        },
    )
    target = forms.DecimalField(
        label="Target",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Percentages as a number, like 40 for 40%. Money in pounds, like 25.50.",
        error_messages={
            "required": "Enter a target",
            "invalid": "Enter the target as a number, like 40",
            "min_value": "The target must be 0 or more",
        },
    )
    amber_threshold = forms.DecimalField(
        label="Amber threshold (optional)",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Results between this and the target show as amber. Leave it blank to "
        "show only met or not met.",
        error_messages={
            "invalid": "Enter the amber threshold as a number, like 30",
            "min_value": "The amber threshold must be 0 or more",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("target", "amber_threshold"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-10"
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.add_input(Submit("save", "Save standard"))
