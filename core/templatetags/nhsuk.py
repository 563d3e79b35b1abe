"""Template tags and filters for NHS.UK frontend markup and the `nhsuk` crispy-forms pack.

Ids follow Django's own scheme so that the `aria-describedby` Django adds to a widget points
at the hint and error message the pack renders: `<auto_id>_helptext` and `<auto_id>_error`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.formsets import BaseFormSet
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.crispy import (
    ErrorItem,
    date_parts,
    error_summary_items,
    field_kind,
    merge_classes,
)

register = template.Library()
register.filter("nhsuk_field_kind", field_kind)
register.simple_tag(date_parts, name="nhsuk_date_parts")

# Set on a form (or formset) once its error summary has been rendered, so a page that shows
# the summary above its <h1> does not get a second one from the form template.
_SUMMARY_RENDERED = "_nhsuk_error_summary_rendered"


# --- Widgets ---------------------------------------------------------------------------

_BASE_CLASSES = {
    "input": ["nhsuk-input"],
    "password": ["nhsuk-input", "nhsuk-password-input__input", "nhsuk-js-password-input-input"],
    "textarea": ["nhsuk-textarea"],
    "select": ["nhsuk-select"],
    "file": ["nhsuk-file-upload__input"],
    "checkbox": ["nhsuk-checkboxes__input"],
    "multiwidget": ["nhsuk-input"],
}
_ERROR_CLASSES = {
    "input": "nhsuk-input--error",
    "password": "nhsuk-input--error",  # nosec B105  # a CSS class, not a password
    "textarea": "nhsuk-textarea--error",
    "select": "nhsuk-select--error",
    "multiwidget": "nhsuk-input--error",
}


def _widget_classes(field: BoundField, kind: str) -> str:
    base = list(_BASE_CLASSES.get(kind, []))
    if field.errors and kind in _ERROR_CLASSES:
        # NHS.UK puts the error modifier straight after the base class(es) of the component.
        base.insert(1 if kind == "password" else len(base), _ERROR_CLASSES[kind])
    return merge_classes(base, field.field.widget.attrs.get("class"))


@register.simple_tag
def nhsuk_widget(field: BoundField) -> SafeString:
    """Render a field's widget with the NHS.UK classes for its kind and error state."""
    kind = field_kind(field)
    attrs: dict[str, Any] = {}
    if kind not in ("hidden", "radios", "checkboxes", "date"):
        attrs["class"] = _widget_classes(field, kind)
    if kind == "password":
        attrs.update(spellcheck="false", autocapitalize="none")
    html: SafeString = field.as_widget(attrs=attrs)
    return html


@register.simple_tag
def nhsuk_choice_input(choice: BoundWidget, class_name: str) -> SafeString:
    """Render one radio or checkbox `<input>` of a RadioSelect/CheckboxSelectMultiple field."""
    data = choice.data
    option_attrs = data["attrs"]
    attrs: dict[str, Any] = {
        "class": merge_classes(class_name, option_attrs.get("class")),
        "id": option_attrs.get("id"),
        "name": data["name"],
        "type": data["type"],
        "value": "" if data["value"] is None else str(data["value"]),
    }
    # The fieldset carries aria-describedby; Django's other option attributes (required,
    # disabled, data-*) are kept.
    skip = {"class", "id", "aria-describedby", "aria-invalid", "checked"}
    attrs.update((key, value) for key, value in option_attrs.items() if key not in skip)
    if data["selected"]:
        attrs["checked"] = True
    return format_html("<input{}>", flatatt({k: v for k, v in attrs.items() if v is not None}))


@register.filter
def nhsuk_hint_id(field: BoundField) -> str:
    return f"{field.auto_id or field.html_name}_helptext"


@register.filter
def nhsuk_error_id(field: BoundField) -> str:
    return f"{field.auto_id or field.html_name}_error"


@register.simple_tag(takes_context=True)
def nhsuk_describedby(context: template.Context, field: BoundField) -> str:
    """Ids of the hint and error message, for fields in a fieldset (radios, date...)."""
    ids = []
    if field.help_text:
        ids.append(nhsuk_hint_id(field))
    if field.errors and context.get("form_show_errors", True) is not False:
        ids.append(nhsuk_error_id(field))
    return " ".join(ids)


# --- Error summary -----------------------------------------------------------------------


@register.simple_tag
def nhsuk_error_summary(
    *forms_: forms.BaseForm | BaseFormSet[Any] | None, title: str = ""
) -> SafeString:
    """Render the NHS.UK error summary for one or more forms or formsets, once each.

    Put `{% nhsuk_error_summary form %}` above the page's `<h1>`; the crispy pack renders it
    at the top of the form otherwise, and never twice for the same form.
    """
    items: list[ErrorItem] = []
    for form in forms_:
        if form is None or getattr(form, _SUMMARY_RENDERED, False):
            continue
        form_items = error_summary_items(form)
        if form_items:
            setattr(form, _SUMMARY_RENDERED, True)
            # A formset's summary lists its forms' errors too: they need no summary of their own.
            for member in form.forms if isinstance(form, BaseFormSet) else ():
                setattr(member, _SUMMARY_RENDERED, True)
            items += form_items
    if not items:
        return SafeString("")
    context = {"errors": items, "title": title or "There is a problem"}
    return mark_safe(render_to_string("includes/error_summary.html", context))  # noqa: S308  # nosec B308 B703  # an autoescaped template


# --- Buttons -----------------------------------------------------------------------------

_BOOTSTRAP_BUTTON_CLASSES = {"btn", "btn-primary", "btn-secondary", "btn-inverse", "btn-outline"}


@register.filter
def nhsuk_button_classes(field_classes: str) -> str:
    """NHS.UK button classes for a crispy input, whatever Submit/Button class made it."""
    names = field_classes.split()
    secondary = "btn" in names and "btn-primary" not in names
    rest = [name for name in names if name not in _BOOTSTRAP_BUTTON_CLASSES]
    if secondary:
        rest.insert(0, "nhsuk-button--secondary")
    return merge_classes("nhsuk-button", rest)


# allauth's {% element button tags="..." %} tags mapped onto NHS.UK button variants.
_ALLAUTH_WARNING = {"danger", "delete"}
_ALLAUTH_SECONDARY = {"secondary", "outline", "minor", "tool", "cancel", "resend"}


@register.filter
def nhsuk_allauth_button(tags: Iterable[str] | None) -> str:
    """`link` for a plain link, or the button classes for allauth's element tags."""
    names = set(tags or [])
    if "link" in names:
        return "link"
    classes = ["nhsuk-button"]
    if names & _ALLAUTH_WARNING:
        classes.append("nhsuk-button--warning")
    elif names & _ALLAUTH_SECONDARY:
        classes.append("nhsuk-button--secondary")
    if names & {"minor", "tool"}:
        classes.append("nhsuk-button--small")
    return " ".join(classes)


@register.filter
def nhsuk_allauth_tag_colour(tags: Iterable[str] | None) -> str:
    """An NHS.UK tag colour modifier for allauth's badge tags."""
    names = set(tags or [])
    if names & {"success", "verified"}:
        return "nhsuk-tag--green"
    if names & {"warning", "unverified"}:
        return "nhsuk-tag--yellow"
    if names & {"danger"}:
        return "nhsuk-tag--red"
    if names & {"secondary"}:
        return "nhsuk-tag--grey"
    return ""


# --- Odds and ends -----------------------------------------------------------------------


_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


@register.filter
def nhsuk_inline_svg(svg: str, label: str = "") -> SafeString:
    """An SVG document (such as allauth's TOTP QR code) ready to inline in HTML."""
    body = _XML_PROLOGUE.sub("", svg)
    if label:
        body = re.sub(
            r"<svg\b",
            format_html('<svg role="img" aria-label="{}" focusable="false"', label),
            body,
            count=1,
        )
    return mark_safe(body)  # noqa: S308  # nosec B308 B703  # qrcode output, not user input


@register.filter(is_safe=True)
def nhsuk_squash(value: str) -> str:
    """Collapse runs of whitespace (allauth's blocks and slots are indented)."""
    return " ".join(str(value).split())


@register.simple_tag
def nhsuk_breadcrumbs(*pairs: str) -> list[dict[str, str]]:
    """Breadcrumbs from label, URL name (or path) pairs, for includes/breadcrumbs.html.

    `{% nhsuk_breadcrumbs "Home" "home" "Account security" "mfa_index" as breadcrumbs %}`
    """
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("nhsuk_breadcrumbs takes label, URL name pairs")
    crumbs = []
    for label, target in zip(pairs[::2], pairs[1::2], strict=True):
        url = target if target.startswith("/") else reverse(target)
        crumbs.append({"label": label, "url": url})
    return crumbs


# allauth's field labels and "required" messages in NHS.UK content style.
_ALLAUTH_LABELS = {
    "Email": "Email address",
    "E-mail": "Email address",
    "Password (again)": "Confirm password",
    "Current Password": "Current password",
    "New Password": "New password",
    "New Password (again)": "Confirm new password",
    "Code": "Security code",
    "Authenticator code": "Security code",
}
_ALLAUTH_REQUIRED = {
    "login": "Enter your email address",
    "email": "Enter your email address",
    "password": "Enter your password",  # nosec B105  # an error message, not a password
    "oldpassword": "Enter your current password",
    "password1": "Enter a password",
    "password2": "Enter the password again",
    "code": "Enter the security code",
}
_ONE_TIME_CODE_FIELDS = {"code"}


@register.filter
def nhsuk_allauth_form(form: forms.BaseForm) -> forms.BaseForm:
    """Present an allauth form in NHS.UK style: sentence-case labels, "Enter your ..."
    messages, no placeholders or links in hints, and the right keyboard for codes."""
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        label = str(field.label) if field.label is not None else ""
        if label in _ALLAUTH_LABELS:
            field.label = _ALLAUTH_LABELS[label]
        if "<a " in str(field.help_text):
            # allauth's "Forgot your password?" link: the page links to it instead.
            field.help_text = ""
        if name in _ONE_TIME_CODE_FIELDS:
            field.widget.attrs.update(
                autocomplete="one-time-code", inputmode="numeric", spellcheck="false"
            )
            field.widget.attrs["class"] = merge_classes(
                field.widget.attrs.get("class"), "nhsuk-input--width-10"
            )
    if form.is_bound:
        for name, errors in form.errors.items():
            if name not in _ALLAUTH_REQUIRED:
                continue
            errors.data = [
                ValidationError(_ALLAUTH_REQUIRED[name], code="required")
                if isinstance(error, ValidationError) and error.code == "required"
                else error
                for error in errors.data
            ]
    # BoundFields copy the label and help text when first made: make them again.
    cache = getattr(form, "_bound_fields_cache", None)
    if isinstance(cache, dict):
        cache.clear()
    return form
