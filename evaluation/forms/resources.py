"""Filters for the public resources library and glossary search."""

from __future__ import annotations

import string
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from core.crispy import SecondarySubmit
from evaluation.models import Resource

LETTERS = list(string.ascii_uppercase)


class ResourceFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Type of resource",
        choices=[("", "All types"), *Resource.Category.choices],
        required=False,
        error_messages={"invalid_choice": "Select a type of resource from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(SecondarySubmit("show", "Show resources"))


class GlossarySearchForm(forms.Form):
    q = forms.CharField(
        label="Search the glossary",
        help_text="For example, brief intervention or inequalities",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search for 100 characters or fewer"},
    )
    letter = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout("q")  # a search starts again from all letters
        self.helper.add_input(SecondarySubmit("search", "Search"))

    def clean_letter(self) -> str:
        # A letter outside A to Z is ignored rather than an error: it only comes from links.
        letter = str(self.cleaned_data.get("letter") or "").upper()
        return letter if letter in LETTERS else ""
