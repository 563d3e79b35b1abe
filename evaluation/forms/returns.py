"""The organisation return form, the period picker and the reason to reopen a return."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from core.crispy import Field, Fieldset, SecondarySubmit, Submit
from evaluation.models import ReturnPeriod, ReturnProgramme
from evaluation.services.returns import REQUIRED_FOR_SUBMISSION

TEXT_LIMIT = 5000
MAX_PEOPLE = 1_000_000
MAX_POUNDS = 100_000_000

# What the error says when an answer is missing at submission.
MISSING = {
    "delivery": "Enter what your organisation delivers",
    "people_trained": "Enter how many of your staff were trained in the period",
    "trainers_now": "Enter how many trainers you have now",
    "budget_now_pounds": "Enter your training budget this year",
    "training_hours_now": "Enter your training hours this year",
    "trainers_next_year": "Enter how many trainers you expect to have next year",
    "budget_next_year_pounds": "Enter your training budget for next year",
    "training_hours_next_year": "Enter the training hours you plan for next year",
    "plans_and_priorities": "Enter your plans and priorities",
    "joint_working": "Enter how you work with other organisations, or 'None'",
    "evaluations_done": "Enter the evaluations you have done, or 'None'",
}


def _text(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer"},
    )


def _number(label: str, noun: str, maximum: int, hint: str = "") -> forms.IntegerField:
    field = forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=0,
        max_value=maximum,
        error_messages={
            "invalid": f"Enter {noun} as a whole number, like 12",
            "min_value": f"{noun[:1].upper()}{noun[1:]} must be 0 or more",
            "max_value": f"{noun[:1].upper()}{noun[1:]} must be {maximum:,} or less",
        },
    )
    field.widget.attrs.update({"class": "nhsuk-input--width-10", "inputmode": "numeric"})
    return field


class ReturnForm(forms.Form):
    programmes = forms.MultipleChoiceField(
        label="Which programmes do you offer your staff?",
        help_text="Select all that apply",
        choices=ReturnProgramme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery = _text(
        "What you deliver", "The courses you run or buy in, how often, and who they are for"
    )
    people_trained = _number(
        "Staff trained in the period", "the number of staff trained", MAX_PEOPLE
    )
    trainers_now = _number("Trainers", "the number of trainers", MAX_PEOPLE)
    budget_now_pounds = _number(
        "Training budget, in pounds", "the budget", MAX_POUNDS, "For example, 12000"
    )
    training_hours_now = _number("Hours of training delivered", "the training hours", MAX_PEOPLE)
    trainers_next_year = _number("Trainers", "the number of trainers next year", MAX_PEOPLE)
    budget_next_year_pounds = _number(
        "Training budget, in pounds", "next year's budget", MAX_POUNDS, "For example, 15000"
    )
    training_hours_next_year = _number(
        "Hours of training planned", "next year's training hours", MAX_PEOPLE
    )
    plans_and_priorities = _text(
        "Plans and priorities", "What you want to achieve next, and which staff you will reach"
    )
    joint_working = _text(
        "Joint working", "Training you share or run with councils, trusts or voluntary groups"
    )
    evaluations_done = _text(
        "Evaluations done", "Surveys, audits or reviews of your training, and what they found"
    )

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for name in REQUIRED_FOR_SUBMISSION:
            field = self.fields[name]
            field.error_messages["required"] = MISSING[name]
            # Every answer is needed to submit; a draft can be saved with gaps.
            field.required = submitting or not self.is_bound
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("programmes", label_size="m"),
            Field("delivery", label_size="m"),
            Field("people_trained", label_size="m"),
            Fieldset(
                "Your resources this year",
                "trainers_now",
                "budget_now_pounds",
                "training_hours_now",
            ),
            Fieldset(
                "Your resources next year",
                "trainers_next_year",
                "budget_next_year_pounds",
                "training_hours_next_year",
            ),
            Field("plans_and_priorities", label_size="m"),
            Field("joint_working", label_size="m"),
            Field("evaluations_done", label_size="m"),
        )
        self.helper.add_input(Submit("submit", "Submit return"))
        self.helper.add_input(SecondarySubmit("save", "Save as draft"))

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class PeriodForm(forms.Form):
    period = forms.ModelChoiceField(
        ReturnPeriod.objects.order_by("-starts_on"),
        label="Period",
        empty_label=None,
        error_messages={"invalid_choice": "Select a period from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(SecondarySubmit("show", "Show period"))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reopening this return?",
        help_text="The training lead sees this in their email",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are reopening the return",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("reason", label_size="m"))
        self.helper.add_input(Submit("reopen", "Reopen return"))
