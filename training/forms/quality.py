"""Quality-marker self-assessments and their evidence files."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Organisation
from training.forms._common import _set_queryset
from training.models import Course, QualityCriterion, QualityScore

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Extension -> the first bytes a real file of that type starts with.
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
}


def validate_evidence_file(upload: Any) -> None:
    """Evidence uploads: at most 5 MB, and a PDF, Word, Excel, PowerPoint or image file."""
    name = str(getattr(upload, "name", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise forms.ValidationError(
            "The selected file must be a PDF, Word, Excel, PowerPoint, PNG or JPG file"
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError("The selected file must be smaller than 5MB")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[extension]):
        raise forms.ValidationError(f"The selected file is not a real .{extension} file")


class QualityAssessmentForm(forms.Form):
    SCORE_CHOICES = [(str(value), label) for value, label in QualityScore.Score.choices]

    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Organisation")
    course = forms.ModelChoiceField(Course.objects.none(), label="Course you are assessing")

    def __init__(
        self,
        *args: Any,
        criteria: list[QualityCriterion],
        organisations: Any,
        existing: dict[int, QualityScore] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        _set_queryset(self, "organisation", organisations)
        _set_queryset(self, "course", Course.objects.filter(is_active=True))
        existing = existing or {}
        for criterion in criteria:
            current = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text,
                choices=self.SCORE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=str(current.score) if current else None,
            )
            self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                label="Evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=current.evidence if current else "",
            )
            self.fields[f"attachment_{criterion.pk}"] = forms.FileField(
                label="Attach a file (optional)",
                help_text="PDF, Word, Excel, PowerPoint, PNG or JPG, up to 5MB",
                required=False,
                validators=[validate_evidence_file],
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": c,
                "score": self[f"score_{c.pk}"],
                "evidence": self[f"evidence_{c.pk}"],
                "attachment": self[f"attachment_{c.pk}"],
            }
            for c in self.criteria
        ]

    def scores(self) -> list[tuple[QualityCriterion, int | None, str, Any]]:
        data = self.cleaned_data
        return [
            (
                c,
                int(data[f"score_{c.pk}"]) if data.get(f"score_{c.pk}") else None,
                data.get(f"evidence_{c.pk}", ""),
                data.get(f"attachment_{c.pk}"),
            )
            for c in self.criteria
        ]
