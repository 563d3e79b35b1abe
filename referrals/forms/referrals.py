"""Forms for making a referral and responding to one: validation only."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from core.crispy import Field, Fieldset, Submit
from referrals.models import Referral


class ReferralForm(forms.Form):
    consent = forms.BooleanField(
        label="The resident agrees to share these contact details with the service",
        error_messages={"required": "Confirm the resident agrees before you refer them"},
    )
    contact_name = forms.CharField(
        label="Resident's name",
        max_length=150,
        error_messages={"required": "Enter the resident's name"},
    )
    contact_phone = forms.CharField(label="Phone number", max_length=30, required=False)
    contact_email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    contact_preferred_time = forms.CharField(
        label="When is best to contact them? (optional)",
        help_text="For example, weekday mornings.",
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, consent_statement: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if consent_statement:
            self.fields["consent"].help_text = consent_statement
        self.fields["contact_name"].widget.attrs.update(autocomplete="off")
        self.fields["contact_phone"].widget.attrs.update(
            {"class": "nhsuk-input--width-20", "type": "tel", "autocomplete": "off"}
        )
        self.fields["contact_email"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Consent",
                Field("consent"),
                legend_size="m",
            ),
            Fieldset(
                "How the service can contact them",
                "contact_name",
                "contact_phone",
                "contact_email",
                "contact_preferred_time",
                legend_size="m",
            ),
        )
        self.helper.add_input(Submit("refer", "Send referral"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_phone = bool((data.get("contact_phone") or "").strip())
        if not has_phone and not data.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_phone", "Enter a phone number or an email address")
        return data


STATUS_ACTION_LABELS = {
    Referral.Status.ACCEPTED: "Accept",
    Referral.Status.DECLINED: "Decline",
    Referral.Status.ATTENDED: "Attended",
    Referral.Status.DID_NOT_ATTEND: "Did not attend",
    Referral.Status.COMPLETED: "Completed",
    Referral.Status.CANCELLED: "Cancel this referral",
}


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What has happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what has happened"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="If you decline, tell the referrer why. They will see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)  # noqa: S101  # nosec B101  # declared above
        status_field.choices = [
            (value, STATUS_ACTION_LABELS[Referral.Status(value)]) for value in allowed
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("update", "Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Referral.Status.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", "Enter why you are declining this referral")
        return data
