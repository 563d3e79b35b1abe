"""A survey's questions as a form (validation only: services.surveys saves the answers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from core.crispy import Field, Submit
from evaluation.models import Question

MAX_CONVERSATIONS = 10_000


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def _likert_choices(question: Question) -> list[tuple[int, str]]:
    labels = list(question.choices) or ["1", "2", "3", "4", "5"]
    return [(value, f"{value}: {label}") for value, label in enumerate(labels[:5], start=1)]


def question_field(question: Question) -> forms.Field:
    """The form field that asks this question, with a plain-English error for each problem."""
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.hint,
        "required": question.required,
    }
    select = f"Select an answer to: {question.text}"
    if question.kind == Question.Kind.LIKERT:
        return forms.TypedChoiceField(
            choices=_likert_choices(question),
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": select},
            **common,
        )
    if question.kind == Question.Kind.YES_NO:
        return forms.TypedChoiceField(
            choices=[(1, "Yes"), (0, "No")],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": select},
            **common,
        )
    if question.kind == Question.Kind.NUMBER:
        field = forms.IntegerField(
            min_value=0,
            max_value=MAX_CONVERSATIONS,
            error_messages={
                "required": f"Enter a number for: {question.text}",
                "invalid": "Enter a whole number, like 5",
                "min_value": "Enter 0 or more",
                "max_value": f"Enter a number up to {MAX_CONVERSATIONS:,}",
            },
            **common,
        )
        field.widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "numeric"})
        return field
    if question.kind == Question.Kind.CHECKBOXES:
        options = [str(option) for option in question.choices]
        return forms.MultipleChoiceField(
            choices=[(option, option) for option in options],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": f"Select at least one answer to: {question.text}"},
            **common,
        )
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": f"Enter an answer to: {question.text}",
            "max_length": "Answer must be 2,000 characters or fewer",
        },
        **common,
    )


class SurveyForm(forms.Form):
    def __init__(self, *args: Any, questions: Iterable[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[field_name(question)] = question_field(question)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*(Field(field_name(q), label_size="s") for q in self.questions))
        self.helper.add_input(Submit("submit", "Send your answers"))

    def answers(self) -> dict[int, Any]:
        """Cleaned answers by question id (call after is_valid)."""
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}
