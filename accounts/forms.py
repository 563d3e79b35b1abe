from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms

from accounts.models import StaffGroup
from accounts.services import organisation_for_email


class PortalSignupForm(SignupForm):  # type: ignore[misc]
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
    )
    staff_group = forms.ChoiceField(
        label="Staff group",
        choices=[("", "Choose your staff group"), *StaffGroup.choices],
        help_text="This helps your organisation see who has been trained.",
        error_messages={"required": "Select your staff group"},
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)

    field_order = ["full_name", "email", "staff_group", "job_title", "password1", "password2"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields[
            "email"
        ].help_text = "Use the email address your employer gave you, for example name@nhs.net."

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if organisation_for_email(email) is None:
            raise forms.ValidationError(
                "Enter a work email address from an organisation in the partnership. "
                "If your organisation is missing, ask your training lead to contact the "
                "MECC Portal team."
            )
        return email
