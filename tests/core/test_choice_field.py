"""core.fields.ChoiceField: each form's copy shares its choices, and nothing a form changes
reaches another form."""

from __future__ import annotations

import pytest
from django import forms
from django.db.models import QuerySet

from accounts.models import Area
from core.fields import ChoiceField, ModelChoiceField, ModelMultipleChoiceField
from referrals.models import Topic

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


# core.fields.ModelChoiceField / ModelMultipleChoiceField: one queryset clone per form copy.


class _ModelForm(forms.Form):
    area = ModelChoiceField(Area.objects.filter(kind=Area.Kind.BOROUGH), cached_as="boroughs")
    topics = ModelMultipleChoiceField(Topic.objects.filter(is_active=True), required=False)


@pytest.mark.django_db
def test_each_form_has_its_own_queryset_and_its_widget_iterates_it(camden):
    first, second = _ModelForm(), _ModelForm()
    base = _ModelForm.base_fields["area"]
    for form in (first, second):
        field = form.fields["area"]
        assert field is not base and field.widget is not base.widget
        assert field.queryset is not base.queryset
        assert field.widget.choices.field is field  # rendering iterates this form's queryset
        assert field.cache_key == base.cache_key != ""
    assert first.fields["area"].queryset is not second.fields["area"].queryset
    assert (camden.pk, camden.name) in [
        (choice.value, label) for choice, label in first.fields["area"].choices if choice
    ]


@pytest.mark.django_db
def test_a_form_that_narrows_its_queryset_changes_no_other_form(camden):
    narrowed, other = _ModelForm(), _ModelForm()
    narrowed.fields["area"].queryset = Area.objects.none()
    narrowed.fields["area"].widget.attrs["class"] = "narrow"
    assert list(narrowed.fields["area"].widget.choices) == [("", "---------")]
    assert narrowed.fields["area"].cache_key == ""  # not answered from the cache
    assert other.fields["area"].cache_key != ""
    assert camden.pk in [c[0].value for c in other.fields["area"].widget.choices if c[0]]
    assert "class" not in other.fields["area"].widget.attrs
    assert _ModelForm({"area": str(camden.pk)}).is_valid()


@pytest.fixture
def clones(monkeypatch) -> list[object]:  # type: ignore[no-untyped-def]
    made: list[object] = []
    original = QuerySet._clone

    def counted(self: QuerySet) -> QuerySet:  # type: ignore[type-arg]
        made.append(self)
        clone: QuerySet = original(self)  # type: ignore[type-arg]
        return clone

    monkeypatch.setattr(QuerySet, "_clone", counted)
    return made


def test_a_forms_copy_clones_its_queryset_only_when_it_reads_it(clones):
    form = _ModelForm()
    assert clones == []  # built: nothing cloned
    field, base = form.fields["area"], _ModelForm.base_fields["area"]
    own = field.queryset
    assert own is not base.queryset
    assert field.queryset is own  # cloned once, then kept
    assert len(clones) == 1


@pytest.mark.django_db
def test_a_posted_form_found_in_the_cache_evaluates_no_shared_queryset(camden, clones, settings):
    """Validation reads the cached rows; rendering lists the copy's own clone: the class's
    queryset never holds rows another form would then see."""
    settings.REFERENCE_CACHE_SECONDS = 60
    assert _ModelForm({"area": str(camden.pk)}).is_valid()  # the boroughs are cached now
    clones.clear()
    form = _ModelForm({"area": str(camden.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["area"] == camden
    assert list(form.cleaned_data["topics"]) == []
    assert clones == []  # the empty topics: the field's one empty queryset, not a clone
    base = _ModelForm.base_fields["area"]._queryset
    assert form.fields["area"]._queryset is base  # validated without reading it
    rendered = str(form["area"])
    assert camden.name in rendered
    assert form.fields["area"]._queryset is not base  # rendering listed the copy's own
    assert len(clones) == 1


@pytest.mark.django_db
def test_nothing_chosen_is_one_empty_queryset_shared_by_every_form(camden):
    first, second = _ModelForm({"area": str(camden.pk)}), _ModelForm({"area": str(camden.pk)})
    assert first.is_valid() and second.is_valid()
    empty = first.cleaned_data["topics"]
    assert second.cleaned_data["topics"] is empty
    assert isinstance(empty, QuerySet) and empty.query.is_empty()
    assert list(empty) == [] and list(second.cleaned_data["topics"]) == []


@pytest.mark.django_db
def test_a_copy_given_its_own_queryset_returns_that_querysets_empty(camden):
    form = _ModelForm({"area": str(camden.pk)})
    form.fields["topics"].queryset = Topic.objects.filter(slug="smoking")
    assert form.is_valid(), form.errors
    empty = form.cleaned_data["topics"]
    assert empty.query.is_empty() and "smoking" in str(empty.query.where)
    assert empty is not _ModelForm.base_fields["topics"]._nothing
    assert _ModelForm.base_fields["topics"]._nothing.query.is_empty()


def test_choices_given_by_hand_are_what_a_forms_copy_lists():
    class _HandForm(forms.Form):
        area = ModelChoiceField(Area.objects.none())

    _HandForm.base_fields["area"].choices = [("1", "One"), ("2", "Two")]
    form = _HandForm()
    assert list(form.fields["area"].widget.choices) == [("1", "One"), ("2", "Two")]
