"""The `nhsuk` crispy-forms template pack, the NHS.UK base layout and the allauth pages."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.crispy import NHSDateField
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"  # page titles are "Page <en dash> MECC Portal"


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


class Page(HTMLParser):
    """Every element of an HTML fragment, with its attributes and direct text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in ("input", "br", "meta", "link", "img", "hr"):
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].text += data

    def by_id(self, id_: str) -> Element:
        matches = [e for e in self.elements if e.attrs.get("id") == id_]
        assert len(matches) == 1, f"expected one element with id {id_!r}, found {len(matches)}"
        return matches[0]

    def with_class(self, class_name: str) -> list[Element]:
        return [e for e in self.elements if class_name in e.classes]


class ReferralForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on their ID")
    contact = forms.ChoiceField(
        label="How should the service contact them?",
        choices=[("phone", "Phone"), ("email", "Email")],
        widget=forms.RadioSelect,
        help_text="Select one option",
    )
    topics = forms.MultipleChoiceField(
        label="Topics discussed",
        choices=[("smoking", "Stopping smoking"), ("alcohol", "Alcohol")],
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label="They agree to be referred", help_text="Ask them before you tick this"
    )
    conversation_date = NHSDateField(
        label="When did the conversation happen?", help_text="For example, 27 3 2026"
    )

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("Check the referral before you send it")


INVALID = {
    "full_name": "",
    "conversation_date_day": "12",
    "conversation_date_month": "",
    "conversation_date_year": "2026",
}


def render_with_tag(form: forms.Form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def render_with_filter(form: forms.Form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


@pytest.fixture(params=[render_with_tag, render_with_filter], ids=["crispy tag", "crispy filter"])
def invalid_page(request: pytest.FixtureRequest) -> Page:
    return Page(request.param(ReferralForm(data=INVALID)))


def test_error_summary_links_to_the_first_input_of_each_invalid_field(invalid_page):
    (summary,) = invalid_page.with_class("nhsuk-error-summary")
    assert summary.attrs["data-module"] == "nhsuk-error-summary"
    assert summary.attrs["tabindex"] == "-1"
    assert [e.attrs.get("role") for e in invalid_page.elements if e.attrs.get("role")].count(
        "alert"
    ) == 1
    (heading,) = invalid_page.with_class("nhsuk-error-summary__heading")
    assert heading.text.strip() == "There is a problem"
    links = [e.attrs["href"] for e in invalid_page.elements if e.tag == "a"]
    assert links == [
        "#id_full_name",
        "#id_contact_0",
        "#id_topics_0",
        "#id_consent",
        "#id_conversation_date_month",
    ]
    for href in links:
        invalid_page.by_id(href[1:])  # every link has a target


def test_error_summary_lists_errors_that_belong_to_no_field(invalid_page):
    (summary_list,) = invalid_page.with_class("nhsuk-error-summary__list")
    items = [e for e in invalid_page.elements if e.tag == "li"]
    assert items[0].text.strip() == "Check the referral before you send it"
    assert summary_list.tag == "ul"


def test_text_input_in_error_is_described_by_its_hint_and_error_message(invalid_page):
    group = invalid_page.by_id("div_id_full_name")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error"]
    field = invalid_page.by_id("id_full_name")
    assert field.classes[:2] == ["nhsuk-input", "nhsuk-input--error"]
    assert field.attrs["aria-describedby"] == "id_full_name_helptext id_full_name_error"
    assert "nhsuk-hint" in invalid_page.by_id("id_full_name_helptext").classes
    error = invalid_page.by_id("id_full_name_error")
    assert error.classes == ["nhsuk-error-message"]
    hidden_prefix = next(
        e for e in invalid_page.with_class("nhsuk-u-visually-hidden") if e.text == "Error: "
    )
    assert hidden_prefix.tag == "span"
    label = next(e for e in invalid_page.elements if e.attrs.get("for") == "id_full_name")
    assert label.classes == ["nhsuk-label"]
    assert label.text == "Full name"


def test_radios_are_a_fieldset_with_a_legend_described_by_hint_and_error(invalid_page):
    group = invalid_page.by_id("div_id_contact")
    assert "nhsuk-form-group--error" in group.classes
    fieldset = next(
        e
        for e in invalid_page.elements
        if e.tag == "fieldset" and e.attrs.get("aria-describedby", "").startswith("id_contact")
    )
    assert fieldset.classes == ["nhsuk-fieldset"]
    assert fieldset.attrs["aria-describedby"] == "id_contact_helptext id_contact_error"
    legends = [e for e in invalid_page.elements if e.tag == "legend"]
    assert "How should the service contact them?" in [legend.text for legend in legends]
    assert all("nhsuk-fieldset__legend" in legend.classes for legend in legends)
    (radios,) = invalid_page.with_class("nhsuk-radios")
    assert radios.attrs["data-module"] == "nhsuk-radios"
    first = invalid_page.by_id("id_contact_0")
    assert first.attrs["type"] == "radio"
    assert first.classes == ["nhsuk-radios__input"]
    assert len(invalid_page.with_class("nhsuk-radios__item")) == 2
    assert len(invalid_page.with_class("nhsuk-radios__label")) == 2


def test_checkbox_choices_are_nhs_checkboxes_in_a_fieldset(invalid_page):
    assert "nhsuk-form-group--error" in invalid_page.by_id("div_id_topics").classes
    boxes = [
        e for e in invalid_page.with_class("nhsuk-checkboxes__input") if e.attrs["name"] == "topics"
    ]
    assert [box.attrs["id"] for box in boxes] == ["id_topics_0", "id_topics_1"]
    assert all(box.attrs["type"] == "checkbox" for box in boxes)
    fieldset = next(
        e
        for e in invalid_page.elements
        if e.tag == "fieldset" and e.attrs.get("aria-describedby") == "id_topics_error"
    )
    assert fieldset.classes == ["nhsuk-fieldset"]


def test_a_boolean_field_is_a_single_checkbox_with_its_hint_under_the_label(invalid_page):
    consent = invalid_page.by_id("id_consent")
    assert consent.attrs["type"] == "checkbox"
    assert consent.classes == ["nhsuk-checkboxes__input"]
    assert consent.attrs["aria-describedby"] == "id_consent_helptext id_consent_error"
    assert invalid_page.by_id("id_consent_helptext").classes == [
        "nhsuk-hint",
        "nhsuk-checkboxes__hint",
    ]


def test_date_field_is_day_month_year_inputs_with_the_missing_part_in_error(invalid_page):
    fieldset = next(
        e for e in invalid_page.elements if e.tag == "fieldset" and e.attrs.get("role") == "group"
    )
    assert fieldset.attrs["aria-describedby"] == (
        "id_conversation_date_helptext id_conversation_date_error"
    )
    assert invalid_page.by_id("id_conversation_date").classes == ["nhsuk-date-input"]
    day = invalid_page.by_id("id_conversation_date_day")
    month = invalid_page.by_id("id_conversation_date_month")
    year = invalid_page.by_id("id_conversation_date_year")
    assert (day.attrs["name"], month.attrs["name"], year.attrs["name"]) == (
        "conversation_date_day",
        "conversation_date_month",
        "conversation_date_year",
    )
    assert day.attrs["value"] == "12"
    assert year.attrs["value"] == "2026"
    assert day.classes == ["nhsuk-input", "nhsuk-input--width-2", "nhsuk-date-input__input"]
    assert month.classes == [
        "nhsuk-input",
        "nhsuk-input--error",
        "nhsuk-input--width-2",
        "nhsuk-date-input__input",
    ]
    assert "nhsuk-input--width-4" in year.classes
    assert all(part.attrs["inputmode"] == "numeric" for part in (day, month, year))
    labels = [e.text for e in invalid_page.with_class("nhsuk-date-input__label")]
    assert labels == ["Day", "Month", "Year"]
    error = invalid_page.by_id("id_conversation_date_error")
    assert "Date must include a month" in error.text


def test_a_valid_form_has_no_error_markup():
    html = render_with_tag(
        ReferralForm(initial={"conversation_date": datetime.date(2026, 3, 27), "contact": "phone"})
    )
    assert "nhsuk-error" not in html
    assert "--error" not in html
    page = Page(html)
    assert page.by_id("id_conversation_date_day").attrs["value"] == "27"
    assert "checked" in page.by_id("id_contact_0").attrs
    (form,) = [e for e in page.elements if e.tag == "form"]
    assert "novalidate" in form.attrs


class FilterForm(forms.Form):
    hide_optional_marker = True

    town = forms.CharField(label="Town", required=False)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        required=False,
    )


class OptionalFieldsForm(forms.Form):
    town = forms.CharField(label="Town", required=False)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        required=False,
    )


@pytest.mark.parametrize("render", [render_with_tag, render_with_filter])
def test_optional_fields_say_optional_unless_the_form_hides_the_marker(render):
    marked = Page(render(OptionalFieldsForm()))
    label = next(e for e in marked.elements if e.attrs.get("for") == "id_town")
    assert label.text == "Town (optional)"
    assert [e.text for e in marked.elements if e.tag == "legend"] == ["Kind (optional)"]

    unmarked = Page(render(FilterForm()))
    label = next(e for e in unmarked.elements if e.attrs.get("for") == "id_town")
    assert label.text == "Town"
    assert [e.text for e in unmarked.elements if e.tag == "legend"] == ["Kind"]


def test_one_field_can_leave_off_the_optional_marker():
    form = OptionalFieldsForm()
    form.fields["town"].hide_optional_marker = True  # type: ignore[attr-defined]
    page = Page(render_with_tag(form))
    label = next(e for e in page.elements if e.attrs.get("for") == "id_town")
    assert label.text == "Town"
    assert [e.text for e in page.elements if e.tag == "legend"] == ["Kind (optional)"]


def test_error_summary_is_not_repeated_when_the_page_shows_it_above_the_heading():
    template = Template(
        "{% load crispy_forms_tags nhsuk %}{% nhsuk_error_summary form %}<h1>Refer</h1>"
        "{% crispy form %}"
    )
    html = template.render(Context({"form": ReferralForm(data=INVALID)}))
    assert html.count("nhsuk-error-summary__list") == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["27", "3", "2026"], datetime.date(2026, 3, 27)),
        (["", "", ""], "Enter a date"),
        (["27", "", ""], "Date must include a month and year"),
        (["31", "2", "2026"], "Date must be a real date"),
        (["1", "2", "26"], "Year must include 4 numbers"),
        (["a", "2", "2026"], "Date must be a real date"),
    ],
)
def test_nhs_date_field_reads_day_month_and_year(parts, expected):
    class DateForm(forms.Form):
        when = NHSDateField()

    form = DateForm(data=dict(zip(["when_day", "when_month", "when_year"], parts, strict=True)))
    if isinstance(expected, datetime.date):
        assert form.is_valid()
        assert form.cleaned_data["when"] == expected
    else:
        assert form.errors["when"] == [expected]


def test_base_layout_for_an_anonymous_visitor():
    request = RequestFactory().get("/accessibility/")
    request.user = AnonymousUser()
    html = render_to_string("core/accessibility.html", request=request)
    page = Page(html)
    (root,) = [e for e in page.elements if e.tag == "html"]
    assert root.attrs["lang"] == "en-GB"
    assert f"<title>Accessibility statement {DASH} MECC Portal</title>" in html
    (skip,) = page.with_class("nhsuk-skip-link")
    assert skip.attrs["href"] == "#maincontent"
    main = page.by_id("maincontent")
    assert main.tag == "main"
    assert main.classes == ["nhsuk-main-wrapper"]
    (header,) = page.with_class("nhsuk-header")
    assert header.attrs["data-module"] == "nhsuk-header"
    (service_name,) = page.with_class("nhsuk-header__service-name")
    assert service_name.text == "MECC Portal"
    (logo_link,) = page.with_class("nhsuk-header__service-logo")
    assert logo_link.attrs["href"] == "/"
    footer_links = {
        e.attrs["href"]: e.text for e in page.with_class("nhsuk-footer__list-item-link")
    }
    assert footer_links == {
        "/accessibility/": "Accessibility statement",
        "/privacy/": "Privacy notice",
        "/resources/": "MECC resources",
        "/glossary/": "Public health glossary",
    }
    assert not page.with_class("nhsuk-header__navigation")
    assert "Sign out" not in html
    # Strict CSP: no inline script or style, and NHS.UK frontend is started from a module.
    scripts = [e for e in page.elements if e.tag == "script"]
    assert all(e.attrs.get("src") for e in scripts)
    assert any(
        e.attrs.get("type") == "module" and e.attrs["src"].endswith("js/portal.js") for e in scripts
    )
    assert "style=" not in html
    icons = [e.attrs["href"] for e in page.elements if e.tag == "link" and "icon" in e.attrs["rel"]]
    assert "/static/vendor/nhsuk-frontend/assets/images/favicon.ico" in icons


def test_signed_in_header_has_account_links_navigation_and_a_sign_out_form(client):
    user = UserFactory(full_name="Mary Seacole")
    client.force_login(user)
    page = Page(client.get("/").content.decode())
    account = {
        e.attrs["href"]: e.text.strip() for e in page.with_class("nhsuk-header__account-link")
    }
    assert account == {
        "/accounts/2fa/": "Account security",
        "/accounts/sessions/": "Where you're signed in",
    }
    (sign_out,) = page.with_class("nhsuk-header__account-form")
    assert (sign_out.attrs["action"], sign_out.attrs["method"]) == ("/accounts/logout/", "post")
    assert any(e.attrs.get("name") == "csrfmiddlewaretoken" for e in page.elements)
    (current,) = [
        e for e in page.with_class("nhsuk-header__navigation-link") if e.attrs.get("aria-current")
    ]
    assert (current.attrs["href"], current.attrs["aria-current"]) == ("/", "page")
    (item,) = page.with_class("nhsuk-header__navigation-item--current")
    assert item.tag == "li"


def test_a_success_message_is_a_success_notification_banner(client):
    user = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}, follow=True
    )
    page = Page(response.content.decode())
    (banner,) = page.with_class("nhsuk-notification-banner")
    assert "nhsuk-notification-banner--success" in banner.classes
    assert banner.attrs["role"] == "alert"


def test_sign_in_page_shows_nhs_errors_and_links_to_reset_and_create_account(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    html = response.content.decode()
    page = Page(html)
    assert page.by_id("id_login").classes[:2] == ["nhsuk-input", "nhsuk-input--error"]
    assert html.count("nhsuk-error-summary__list") == 1
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert f"<title>Error: Sign in {DASH} MECC Portal</title>" in html
    hrefs = {e.attrs.get("href") for e in page.elements if e.tag == "a"}
    assert {"/accounts/password/reset/", "/accounts/signup/"} <= hrefs
    assert "placeholder" not in html


def test_authenticator_setup_page_shows_the_qr_code_and_the_secret_as_text(client):
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    if response.redirect_chain and "reauthenticate" in response.redirect_chain[-1][0]:
        response = client.post(
            response.redirect_chain[-1][0], {"password": TEST_PASSWORD}, follow=True
        )
    html = response.content.decode()
    assert f"<title>Set up two-factor authentication {DASH} MECC Portal</title>" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7]{16,})<', html)
    assert secret
    assert "<svg" in html and "<?xml" not in html
