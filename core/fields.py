"""Form fields that answer a form error, never a server error, for any value a client sends."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import connections, models


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Django's field, but an id too large for the id column is an invalid choice.

    Django checks the chosen ids with one `id IN (...)` query; on SQLite an integer beyond 64
    bits makes that query raise OverflowError (a 500) instead of finding nothing.
    """

    def _check_values(self, value: Iterable[Any]) -> Any:
        key = self.to_field_name or "pk"
        queryset = self.queryset
        assert queryset is not None  # noqa: S101  # nosec B101  # Django requires a queryset
        model = queryset.model
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        if isinstance(field, models.IntegerField):
            ops = connections[queryset.db].ops
            low, high = ops.integer_field_range(field.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django's own check reports it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]
