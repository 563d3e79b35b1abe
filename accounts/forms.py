from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.contenttypes.models import ContentType

from accounts.models import Organisation, StaffGroup
from accounts.presenters import audit_action_label
from accounts.selectors import AuditFilters, audit_actions, audit_target_types
from accounts.services import organisation_for_email
from core.crispy import NHSDateField, Submit


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


class _TargetTypeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name).capitalize() if model else obj.model


class AuditFilterForm(forms.Form):
    """Filters for the audit log (all optional); the dates are whole days."""

    hide_optional_marker = True

    actor = forms.CharField(
        label="Email address of the person",
        help_text="All or part of the address",
        max_length=254,
        required=False,
    )
    action = forms.ChoiceField(label="Action", required=False)
    target_type = _TargetTypeField(
        ContentType.objects.none(), label="Kind of record", required=False, empty_label="Any"
    )
    target_id = forms.CharField(label="Record ID", max_length=64, required=False)
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label="Organisation of the person",
        required=False,
        empty_label="Any organisation",
    )
    date_from = NHSDateField(label="From", help_text="For example, 27 3 2026", required=False)
    date_to = NHSDateField(label="To", help_text="For example, 30 3 2026", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", "Any action"),
            *((action, audit_action_label(action)) for action in audit_actions()),
        ]
        self.fields["target_type"].queryset = audit_target_types()  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("search", "Search the audit log"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters (none when the form is unbound or has errors)."""
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            actor=data["actor"].strip(),
            action=data["action"],
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
            organisation=data["organisation"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
