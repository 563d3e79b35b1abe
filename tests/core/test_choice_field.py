"""core.fields.ChoiceField: each form's copy shares its choices, and nothing a form changes
reaches another form."""

from __future__ import annotations

from django import forms

from core.fields import ChoiceField

CHOICES = [("", "Not recorded"), ("female", "Female"), ("male", "Male")]


class _Form(forms.Form):
    sex = ChoiceField(choices=CHOICES, required=False)


def test_a_forms_copy_shares_the_choices_rather_than_copying_them():
    form = _Form()
    assert form.fields["sex"] is not _Form.base_fields["sex"]
    assert form.fields["sex"].choices is _Form.base_fields["sex"].choices
    assert form.fields["sex"].widget is not _Form.base_fields["sex"].widget


def test_choices_or_attributes_one_form_sets_stay_in_that_form():
    first, second = _Form(), _Form()
    first.fields["sex"].choices = [("x", "Other")]
    first.fields["sex"].widget.attrs["class"] = "nhsuk-select--narrow"
    first.fields["sex"].error_messages["invalid_choice"] = "Pick one"
    assert second.fields["sex"].choices == CHOICES
    assert list(second.fields["sex"].widget.choices) == CHOICES
    assert "class" not in second.fields["sex"].widget.attrs
    assert second.fields["sex"].error_messages["invalid_choice"] != "Pick one"
    assert _Form.base_fields["sex"].choices == CHOICES


def test_it_validates_like_djangos():
    assert _Form({"sex": "female"}).is_valid()
    form = _Form({"sex": "unknown"})
    assert not form.is_valid()
    assert "sex" in form.errors
