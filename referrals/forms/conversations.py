"""Forms for logging and correcting a conversation: validation only."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from accounts.models import Area
from core.crispy import Field, Fieldset
from core.fields import ChoiceField, ModelChoiceField, ModelMultipleChoiceField
from referrals.models import (
    AgeBand,
    ConversationSetting,
    EthnicGroup,
    MeccLevel,
    Outcome,
    Service,
    Sex,
    Topic,
)

# The outward code (first half) of a UK postcode: N1, NW10, EC1A, W1T.
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$")


def _optional(choices: list[tuple[str, str]], empty: str = "Not recorded") -> list[tuple[str, str]]:
    return [("", empty), *choices]


def _fragment(*fields: Any) -> FormHelper:
    """A part of the page's one form: no <form> tag or CSRF field of its own."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class ConversationForm(forms.Form):
    topics = ModelMultipleChoiceField(
        Topic.objects.filter(is_active=True),
        cached_as="active-topics",
        label="What did you talk about?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one topic you talked about"},
    )
    area = ModelChoiceField(
        Area.objects.filter(kind=Area.Kind.BOROUGH),
        cached_as="boroughs",
        label="Borough",
        help_text="Where the resident lives, if you know. We use it to find local services.",
        empty_label=None,
        error_messages={"required": "Select a borough"},
    )
    mecc_level = ChoiceField(
        label="What kind of conversation was it?",
        choices=MeccLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of conversation it was"},
    )
    outcome = ChoiceField(
        label="What happened?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    setting = ChoiceField(
        label="Where were you?",
        choices=ConversationSetting.choices,
        error_messages={"required": "Select where you were"},
    )
    age_band = ChoiceField(label="Age", choices=_optional(AgeBand.choices), required=False)
    sex = ChoiceField(label="Sex", choices=_optional(Sex.choices), required=False)
    ethnic_group = ChoiceField(
        label="Ethnic group", choices=_optional(EthnicGroup.choices), required=False
    )
    postcode_district = forms.CharField(
        label="First part of their postcode",
        help_text="For example, N17 or NW10. Never the full postcode.",
        max_length=8,
        required=False,
    )
    signposts = ModelMultipleChoiceField(
        Service.objects.all(), to_field_name="uuid", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode_district"].widget.attrs.update(
            {"class": "nhsuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}
        )

    # The layouts are built when a page shows the form: a save that redirects never needs them.
    @cached_property
    def helper(self) -> FormHelper:
        return _fragment(Field("topics", label_size="m"), Field("area"))

    @cached_property
    def answers_helper(self) -> FormHelper:
        return _fragment(
            Field("mecc_level", label_size="s"), Field("outcome", label_size="s"), Field("setting")
        )

    @cached_property
    def profile_helper(self) -> FormHelper:
        return _fragment(
            Fieldset(
                "About the resident (optional, anonymous)",
                "age_band",
                "sex",
                "ethnic_group",
                "postcode_district",
                legend_size="s",
            )
        )

    def clean_postcode_district(self) -> str:
        value = " ".join(str(self.cleaned_data.get("postcode_district") or "").upper().split())
        if not value:
            return ""
        if FULL_POSTCODE.match(value):
            raise forms.ValidationError(
                "Enter only the first part of the postcode, like N17 or NW10"
            )
        if not POSTCODE_DISTRICT.match(value.replace(" ", "")):
            raise forms.ValidationError("Enter the first part of a postcode, like N17 or NW10")
        return value.replace(" ", "")


class ConversationCorrectionForm(ConversationForm):
    """The same questions without the signposts (add those from the conversation page)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["signposts"]
        del self.fields["area"]
        self.helper.layout = Layout(
            Field("topics", label_size="m"),
            Field("mecc_level", label_size="s"),
            Field("outcome", label_size="s"),
            Field("setting"),
        )


class MatchingServicesForm(forms.Form):
    """The topics and borough the matching-services panel filters on (GET, lenient)."""

    topics = ModelMultipleChoiceField(Topic.objects.filter(is_active=True), required=False)
    area = forms.ModelChoiceField(Area.objects.filter(kind=Area.Kind.BOROUGH), required=False)
