"""Who trained a trainer, and importing historic completions."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from core.crispy import NHSDateField, Submit
from core.uploads import validate_upload
from training.forms._common import _set_queryset
from training.models import Programme


class TrainerAccreditationForm(forms.Form):
    trainer = forms.ModelChoiceField(User.objects.none(), label="Trainer")
    programme = forms.ModelChoiceField(Programme.objects.all(), label="Programme they deliver")
    trained_by = forms.ModelChoiceField(
        User.objects.none(),
        label="Trained by a trainer in the portal",
        required=False,
        empty_label="Not in the portal",
    )
    trained_by_name = forms.CharField(
        label="Or, trained by (name and organisation)", required=False, max_length=200
    )
    accredited_on = NHSDateField(label="Date they qualified to deliver it")

    def __init__(self, *args: Any, trainers: Any, trained_by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "trainer", trainers)
        _set_queryset(self, "trained_by", trained_by)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("trained_by") and not data.get("trained_by_name", "").strip():
            self.add_error("trained_by_name", "Enter who trained them, or choose them above")
        on = data.get("accredited_on")
        if on and on > timezone.localdate():
            self.add_error("accredited_on", "Date they qualified must be today or in the past")
        return data


IMPORT_MAX_BYTES = 2 * 1024 * 1024


class CompletionImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: email, course, completed_on and, if you have them, "
        "certificate_number. Up to 2MB.",
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self) -> tuple[str, str]:
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            types={"csv": "CSV"},
            max_bytes=min(IMPORT_MAX_BYTES, settings.UPLOAD_MAX_BYTES),
        )
        try:
            content = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The selected file must be saved as UTF-8 CSV") from exc
        return str(upload.name), content
