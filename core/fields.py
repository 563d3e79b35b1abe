"""Form fields that answer a form error, never a server error, for any value a client sends,
and that cost little to copy for every form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import connections, models

from core import reference


class ChoiceField(forms.ChoiceField):
    """Django's, but each form's copy shares the choices instead of copying them again.

    Django deep-copies every field for every form, and a choice field's copy walks and
    re-normalises its choices: most of building a conversation form. Choices are never
    changed in place here (a form wanting others assigns a new list, which replaces them on
    that copy only), so sharing them is safe; the widget and its attributes are still copied.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return _copy_field(self, memo)


def _shallow(thing: Any) -> Any:
    """`copy.copy` of a plain object (attributes in its `__dict__`, no `__copy__`), without
    going through `__reduce_ex__`: a quarter of the time."""
    result = object.__new__(type(thing))
    result.__dict__.update(thing.__dict__)
    return result


def _copy_field(field: Any, memo: dict[int, Any]) -> Any:
    """A form's copy of a field as Django's `Field.__deepcopy__` makes it, with the widget
    copied as `Widget.__deepcopy__` copies it, but nothing of the choices copied."""
    result = _shallow(field)
    memo[id(field)] = result
    widget = _shallow(field.widget)
    widget.attrs = field.widget.attrs.copy()
    memo[id(field.widget)] = widget
    result.widget = widget
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


class _ChoiceIterator(forms.models.ModelChoiceIterator):  # type: ignore[type-arg]
    """Django's, reading the field's queryset when the choices are listed, not when the
    iterator is made (a form that is only validated never lists them)."""

    def __init__(self, field: Any) -> None:
        self.field = field

    @property
    def queryset(self) -> Any:  # type: ignore[override]
        return self.field.queryset


class _Cached:
    """`cached_as` names the field's queryset in core.reference. A queryset given to the
    field later (a form narrowing its choices) is not the one cached: it is not used."""

    cache_key = ""
    iterator = _ChoiceIterator
    _queryset: Any

    def _cache(self, queryset: Any, cached_as: str) -> None:
        self.cache_key = reference.register(queryset.model, cached_as) if cached_as else ""

    def _get_queryset(self) -> Any:
        """This copy's own clone of the queryset, made on first use (see `__deepcopy__`)."""
        if self.__dict__.get("_queryset_shared"):
            self._queryset_shared = False
            if self._queryset is not None:
                self._queryset = self._queryset.all()
        return self._queryset

    def _set_queryset(self, queryset: Any) -> None:
        self._queryset_shared = False
        super()._set_queryset(queryset)  # type: ignore[misc]
        self.cache_key = ""

    def _rows(self) -> dict[str, Any] | None:
        """The cached rows (core.reference clones the queryset itself if it must read it)."""
        return reference.rows(self.cache_key, self._queryset)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """Each form's copy, as Django's, but its queryset cloned only when it is used.

        Django's copy deep-copies the widget with its choice iterator, then assigns
        `queryset.all()`, which the setter clones again and gives the widget a new iterator.
        Here: the field and widget copied as `_copy_field` copies them, the class's queryset
        shared until this copy first reads `queryset` (then cloned, so no form shares
        another's result cache), and the widget's choices listing this copy's queryset. A
        form that is posted, valid and saved reads none of them: its chosen ids are found
        in the cached rows.
        """
        result = _copy_field(self, memo)
        result._queryset_shared = True
        # Choices given by hand (`field.choices = ...`) are listed as they are, as Django does.
        result.widget.choices = (
            result._choices if hasattr(result, "_choices") else result.iterator(result)
        )
        return result

    queryset = property(_get_queryset, _set_queryset)


class ModelChoiceField(_Cached, forms.ModelChoiceField):  # type: ignore[type-arg,misc]
    """Django's field; with `cached_as`, a chosen id is found in the cached copy of the
    queryset (core.reference) and only an id not in it is looked up in the database."""

    def __init__(self, queryset: Any, *, cached_as: str = "", **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self._cache(queryset, cached_as)

    def to_python(self, value: Any) -> Any:
        if self.cache_key and value not in self.empty_values and not self.to_field_name:
            found = self._rows()
            if found is not None and str(value).strip() in found:
                return found[str(value).strip()]
        return super().to_python(value)


class ModelMultipleChoiceField(_Cached, forms.ModelMultipleChoiceField):  # type: ignore[type-arg,misc]
    """Django's field, but an id too large for the id column is an invalid choice.

    Django checks the chosen ids with one `id IN (...)` query; on SQLite an integer beyond 64
    bits makes that query raise OverflowError (a 500) instead of finding nothing. With
    `cached_as`, ids all found in the cached copy of the queryset (core.reference) make no
    query; any other id is checked in the database as before.
    """

    def __init__(self, queryset: Any, *, cached_as: str = "", **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self._cache(queryset, cached_as)
        self._nothing = self._empty()

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)
        self._nothing = None  # made again from the new queryset when first needed

    queryset = property(_Cached._get_queryset, _set_queryset)

    def _empty(self) -> Any:
        return None if self._queryset is None else self._queryset.none()

    def clean(self, value: Any) -> Any:
        if not value and not self.required:
            # Nothing chosen: the field's empty queryset, made once and shared by every
            # form's copy (it has no rows to cache, so sharing it shares nothing), instead of
            # a clone for each form: most conversations signpost nowhere.
            if self._nothing is None:
                self._nothing = self._empty()
            return self._nothing
        return super().clean(value)

    def _check_values(self, value: Iterable[Any]) -> Any:
        if self.cache_key and not self.to_field_name:
            found = self._rows()
            wanted = [str(pk).strip() for pk in value]
            if found is not None and wanted and all(pk in found for pk in wanted):
                return [found[pk] for pk in dict.fromkeys(wanted)]
        return self._check_in_database(value)

    def _check_in_database(self, value: Iterable[Any]) -> Any:
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
