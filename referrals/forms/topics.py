from __future__ import annotations

from typing import Any

from django import forms

from referrals.models import Topic


class TopicForm(forms.ModelForm[Topic]):
    class Meta:
        model = Topic
        fields = (
            "name",
            "description",
            "snomed_code",
            "snomed_display",
            "esd_code",
            "urgent_support_first",
            "display_order",
            "is_active",
        )
        labels = {
            "name": "Topic name",
            "snomed_code": "SNOMED CT code",
            "snomed_display": "SNOMED CT term",
            "esd_code": "esd standards term",
            "urgent_support_first": "Show this topic's services before any other",
            "display_order": "Order in lists",
            "is_active": "Offer this topic when logging conversations and searching",
        }
        help_texts = {
            "snomed_code": "Only a code from a published NHS code set, for example 710081004.",
            "urgent_support_first": "For crisis and safeguarding topics.",
            "display_order": "Lower numbers come first.",
        }
        error_messages = {"name": {"required": "Enter the topic name"}}

    def clean_snomed_code(self) -> str:
        code: str = self.cleaned_data["snomed_code"].strip()
        if code and (not code.isdigit() or not 6 <= len(code) <= 18):
            raise forms.ValidationError("A SNOMED CT code is 6 to 18 digits")
        return code

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("snomed_code") and not cleaned.get("snomed_display", "").strip():
            self.add_error("snomed_display", "Enter the SNOMED CT term for the code")
        return cleaned
