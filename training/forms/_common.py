"""Helpers the training forms share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def _money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, initial=0, min_value=Decimal("0"), max_digits=9, decimal_places=2
    )


def _pence(value: Decimal | None) -> int:
    return int((value or Decimal("0")) * 100)


def _optional_marker_off(form: forms.Form, *names: str) -> None:
    """Fields required only in some cases (their hint says when): no "(optional)"."""
    for name in names:
        form.fields[name].hide_optional_marker = True  # type: ignore[attr-defined]
