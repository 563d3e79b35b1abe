"""Directory forms: validation only (the services do the writing)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings

from accounts.models import Area
from core.crispy import Fieldset, Submit
from core.fields import ModelMultipleChoiceField
from core.uploads import validate_upload
from referrals import postcodes
from referrals.models import ListingProblemReport, Service, Topic

DISTANCES = [("1", "1 km"), ("2", "2 km"), ("5", "5 km"), ("10", "10 km"), ("", "Any distance")]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DirectorySearchForm(forms.Form):
    hide_optional_marker = True  # filters are all optional: no "(optional)" on each label
    q = forms.CharField(label="Search", required=False, max_length=100)
    topic = forms.ModelChoiceField(
        Topic.objects.filter(is_active=True), required=False, empty_label="Any topic"
    )
    area = forms.ModelChoiceField(
        Area.objects.filter(kind=Area.Kind.BOROUGH),
        label="Borough",
        required=False,
        empty_label="Any borough",
    )
    postcode = forms.CharField(
        label="Near postcode",
        required=False,
        max_length=10,
        help_text="For example, N17 9LT. We only use the first half to find nearby services.",
    )
    distance = forms.ChoiceField(label="Within", choices=DISTANCES, required=False, initial="5")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {"class": "nhsuk-input--width-10", "autocomplete": "postal-code"}
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.add_input(Submit("search", "Search"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = data.get("postcode") or ""
        data["near"] = None
        if raw:
            try:
                data["near"] = postcodes.locate(raw)
                data["postcode"] = postcodes.parse(raw).text
            except postcodes.PostcodeError as exc:
                self.add_error("postcode", str(exc))
        distance = data.get("distance")
        data["within_m"] = int(distance) * 1000 if distance else None
        return data


class ServiceListingForm(forms.ModelForm[Service]):
    topics = ModelMultipleChoiceField(
        Topic.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    areas_served = ModelMultipleChoiceField(
        Area.objects.filter(kind=Area.Kind.BOROUGH),
        label="Boroughs served",
        widget=forms.CheckboxSelectMultiple,
    )
    url = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = Service
        fields = (
            "name",
            "description",
            "status",
            "referral_route",
            "topics",
            "areas_served",
            "email",
            "url",
            "alert",
            "minimum_age",
            "maximum_age",
            "eligibility_description",
            "is_free",
            "fees_description",
        )
        labels = {
            "name": "Service name",
            "referral_route": "How people get to the service",
            "email": "Email address for the service",
            "alert": "Notice",
            "minimum_age": "Youngest age served",
            "maximum_age": "Oldest age served",
            "is_free": "This service is free",
        }
        widgets = {"status": forms.RadioSelect, "referral_route": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("minimum_age", "maximum_age"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-3"
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["description"].error_messages["required"] = "Enter what the service does"
        self.fields["name"].error_messages["required"] = "Enter the service name"
        self.fields["topics"].error_messages["required"] = "Select at least one topic"
        self.fields["areas_served"].error_messages["required"] = "Select at least one borough"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "name",
            "description",
            "status",
            "referral_route",
            "topics",
            "areas_served",
            Fieldset("Contact", "email", "url", "alert"),
            Fieldset(
                "Who can use it",
                "minimum_age",
                "maximum_age",
                "eligibility_description",
            ),
            Fieldset("Cost", "is_free", "fees_description"),
        )
        self.helper.add_input(Submit("save", "Save listing"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        youngest, oldest = data.get("minimum_age"), data.get("maximum_age")
        if youngest is not None and oldest is not None and youngest > oldest:
            self.add_error(
                "maximum_age", "Oldest age must be the same as or more than youngest age"
            )
        return data


class ProblemReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong with this listing?",
        choices=ListingProblemReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is wrong with this listing"},
    )
    details = forms.CharField(
        label="Tell us more",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Do not include anything that identifies a resident.",
        error_messages={"required": "Tell us what is wrong"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("send", "Send report"))


class OrukImportForm(forms.Form):
    file = forms.FileField(
        label="Open Referral UK file",
        help_text="A JSON file (a service, or a page of services), or a ZIP of the CSV "
        "package. Up to 5 MB.",
        error_messages={"required": "Choose a file to import"},
    )
    area = forms.ModelChoiceField(
        Area.objects.all(),
        label="Area for new organisations",
        help_text="Organisations in the file that the portal does not know yet are added here.",
        error_messages={"required": "Select an area"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("import", "Import"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            types={"json": "JSON", "zip": "ZIP"},
            max_bytes=min(MAX_UPLOAD_BYTES, settings.UPLOAD_MAX_BYTES),
        )
        return upload
