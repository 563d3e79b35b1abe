"""Helpers for the `nhsuk` crispy-forms template pack: a day/month/year date field and
layout objects that carry NHS.UK options (label and legend sizes, page headings, buttons).

The templates live in templates/nhsuk/; the template tags they use are in
core/templatetags/nhsuk.py. crispy-forms' own layout objects (Layout, Div, Row, Column,
HTML, MultiField, ButtonHolder) and crispy_forms.bootstrap's PrependedText, AppendedText,
InlineRadios, InlineCheckboxes, FormActions, FieldWithButtons and Alert render through the
pack too; tabs, accordions and modals have no NHS.UK equivalent and are not provided.

Labels and legends of fields that are not required end in " (optional)". A form whose
fields are all inherently optional (a filter form) sets `hide_optional_marker = True` on
its class to leave the marker off; set the same attribute on one field (one required only
in some cases, which its hint explains) to leave it off that field alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypedDict

from crispy_forms import bootstrap, layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

SIZES = frozenset({"s", "m", "l", "xl"})

# (part name, label, width class suffix, autocomplete suffix for a date of birth)
DATE_PARTS: tuple[tuple[str, str, int, str], ...] = (
    ("day", "Day", 2, "bday-day"),
    ("month", "Month", 2, "bday-month"),
    ("year", "Year", 4, "bday-year"),
)


class NHSDateInput(forms.MultiWidget):
    """Three text inputs (day, month, year) rendered as the NHS.UK date input.

    Sub-widget names and ids end in `_day`, `_month` and `_year` (`id_dob_day`). The crispy
    pack wraps them in a fieldset with the field's label as the legend.
    """

    template_name = "nhsuk/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None, *, date_of_birth: bool = False):
        self.date_of_birth = date_of_birth
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, *_ in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for (part, label, width, autocomplete), subwidget in zip(
            DATE_PARTS, context["widget"]["subwidgets"], strict=True
        ):
            if id_:
                # `id_dob_day` rather than Django's `id_dob_0`, to match the input's name.
                subwidget["attrs"]["id"] = f"{id_}_{part}"
            subwidget["part"] = part
            subwidget["label"] = label
            subwidget["width"] = width
            if self.date_of_birth:
                subwidget["attrs"]["autocomplete"] = autocomplete
        return context


class NHSDateField(forms.Field):
    """A date entered as day, month and year, validated with NHS.UK error messages."""

    widget = NHSDateInput
    default_error_messages = {
        "required": _("Enter a date"),
        "incomplete": _("Date must include a %(parts)s"),
        "invalid": _("Date must be a real date"),
        "year_length": _("Year must include 4 numbers"),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            value = NHSDateInput().decompress(value) if value else []
        parts = [str(part).strip() if part is not None else "" for part in (value or [])]
        parts += [""] * (3 - len(parts))
        day, month, year = parts[:3]
        if not (day or month or year):
            return None
        missing = [name for (name, *_), part in zip(DATE_PARTS, parts, strict=False) if not part]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"parts": " and ".join(missing)},
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year_length"], code="year_length")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _check_size(size: str | None) -> str | None:
    if size is not None and size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, not {size!r}")
    return size


class Field(layout.Field):
    """`crispy_forms.layout.Field` with NHS.UK label options.

    `label_size` ("s", "m", "l", "xl") sizes the label or legend; `is_page_heading` wraps it in
    the page's `<h1>` (for one-question pages).
    """

    def __init__(
        self,
        *fields: str,
        label_size: str | None = None,
        is_page_heading: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*fields, **kwargs)
        self.label_size = _check_size(label_size)
        self.is_page_heading = is_page_heading

    def render(self, *args: Any, extra_context: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        extra_context = dict(extra_context or {})
        extra_context.update(label_size=self.label_size, is_page_heading=self.is_page_heading)
        return super().render(*args, extra_context=extra_context, **kwargs)


class Fieldset(layout.Fieldset):
    """`crispy_forms.layout.Fieldset` rendered as an NHS.UK fieldset with a sized legend."""

    def __init__(
        self,
        legend: str,
        *fields: Any,
        legend_size: str | None = "m",
        is_page_heading: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(legend, *fields, **kwargs)
        self.legend_size = _check_size(legend_size)
        self.is_page_heading = is_page_heading


class Submit(layout.Submit):
    """The primary action: an NHS.UK button (`<button class="nhsuk-button">`)."""

    field_classes = "nhsuk-button"


class Button(layout.Button):
    """A secondary NHS.UK button that does not submit the form."""

    field_classes = "nhsuk-button nhsuk-button--secondary"


class SecondarySubmit(layout.Submit):
    """A secondary action that submits the form (for example "Save as draft")."""

    field_classes = "nhsuk-button nhsuk-button--secondary"


class WarningSubmit(layout.Submit):
    """A destructive action that submits the form (for example "Yes, cancel this booking")."""

    field_classes = "nhsuk-button nhsuk-button--warning"


class ButtonGroup(layout.ButtonHolder):
    """Lay out buttons and links side by side (`nhsuk-button-group`)."""

    template = "%s/layout/buttonholder.html"


class StrictButton(bootstrap.StrictButton):
    """A small secondary button beside an input (`FieldWithButtons`), such as "Search"."""

    field_classes = "nhsuk-button nhsuk-button--secondary nhsuk-button--small"


# --- Presentation helpers the pack's template tags use ----------------------------------


class ErrorItem(TypedDict):
    text: str
    href: str | None


class DatePart(TypedDict):
    part: str
    label: str
    id: str
    name: str
    value: str
    width: int
    attrs: SafeString
    error: bool


def merge_classes(*groups: Iterable[str] | str | None) -> str:
    """Join class lists in order, dropping blanks and repeats."""
    seen: list[str] = []
    for group in groups:
        if not group:
            continue
        names = group.split() if isinstance(group, str) else group
        for name in names:
            if name and name not in seen:
                seen.append(name)
    return " ".join(seen)


def field_kind(field: BoundField) -> str:
    """Which NHS.UK component renders this field (the pack's field.html switches on it)."""
    widget = field.field.widget
    kinds: tuple[tuple[type[forms.Widget], str], ...] = (
        (NHSDateInput, "date"),
        (forms.CheckboxSelectMultiple, "checkboxes"),
        (forms.RadioSelect, "radios"),
        (forms.CheckboxInput, "checkbox"),
        (forms.MultiWidget, "multiwidget"),
        (forms.PasswordInput, "password"),
        (forms.Textarea, "textarea"),
        (forms.Select, "select"),
        (forms.FileInput, "file"),
    )
    if widget.is_hidden:
        return "hidden"
    return next((kind for cls, kind in kinds if isinstance(widget, cls)), "input")


def date_parts(field: BoundField) -> list[DatePart]:
    """The day, month and year inputs of an NHSDateInput field, marking the ones in error.

    When some parts are blank or not numbers only those are marked; otherwise (a date that
    does not exist, or one the form rejects) all three are.
    """
    widget = field.field.widget
    context = widget.get_context(
        field.html_name, field.value(), field.build_widget_attrs({"id": field.auto_id})
    )
    subwidgets = context["widget"]["subwidgets"]
    values = [str(sub["value"] or "").strip() for sub in subwidgets]
    suspect = [not value or not value.isdigit() for value in values]
    if not any(suspect):
        suspect = [True] * len(values)
    skip = {"id", "class", "aria-invalid", "aria-describedby"}
    return [
        DatePart(
            part=sub["part"],
            label=sub["label"],
            id=sub["attrs"].get("id", ""),
            name=sub["name"],
            value=value,
            width=sub["width"],
            attrs=mark_safe(  # noqa: S308  # nosec B308 B703  # flatatt escapes the values
                flatatt({k: v for k, v in sub["attrs"].items() if k not in skip})
            ),
            error=bool(field.errors) and bad,
        )
        for sub, value, bad in zip(subwidgets, values, suspect, strict=True)
    ]


def error_href(field: BoundField) -> str | None:
    """Where an error summary link takes the user: the field's first input (in error)."""
    if field.is_hidden:
        return None
    kind = field_kind(field)
    if kind == "date":
        parts = date_parts(field)
        return "#" + next((part for part in parts if part["error"]), parts[0])["id"]
    if kind in ("radios", "checkboxes"):
        subwidgets = field.subwidgets
        first_id = subwidgets[0].id_for_label if subwidgets else None
        return f"#{first_id}" if first_id else None
    if kind == "multiwidget":
        return f"#{field.auto_id}_0" if field.auto_id else None
    anchor = field.id_for_label or field.auto_id
    return f"#{anchor}" if anchor else None


def error_summary_items(form: forms.BaseForm | BaseFormSet[Any]) -> list[ErrorItem]:
    """Every error on a form or formset, in page order, with a link to its field."""
    if isinstance(form, BaseFormSet):
        items = [ErrorItem(text=str(e), href=None) for e in form.non_form_errors()]
        for member in form.forms:
            items += error_summary_items(member)
        return items
    items = [ErrorItem(text=str(e), href=None) for e in form.non_field_errors()]
    for field in form:
        href = error_href(field) if field.errors else None
        items += [ErrorItem(text=str(e), href=href) for e in field.errors]
    return items
