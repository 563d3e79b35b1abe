"""Find every POST form the portal shows, and generate adversarial submissions for it.

The forms are read from the HTML the pages serve (so a form added to any template is fuzzed
without a list to update): each <form method="post">, its action, and its fields with their
kinds (text, number, date part, choice, multiple choice, file, hidden).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st


@dataclass
class Field:
    name: str
    kind: str  # text, number, email, date, hidden, file, choice, multiple, checkbox
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def signature(self) -> tuple[str, tuple[str, ...]]:
        return self.action, tuple(sorted(self.fields))


class FormFinder(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urlsplit(urljoin(self.page_path, a.get("action") or self.page_path))
                self._form = Form(action=action.path + (f"?{action.query}" if action.query else ""))
            return
        form = self._form
        if form is None:
            return
        if tag == "option":
            if self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        if "name" not in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                if name:
                    form.fields.setdefault(name, Field(name, "hidden", a.get("value", "")))
                return
            if kind in {"radio", "checkbox"}:
                existing = form.fields.get(name)
                if existing is None:
                    existing = Field(name, "choice" if kind == "radio" else "multiple")
                    form.fields[name] = existing
                existing.options.append(a.get("value", "on"))
                return
            if kind == "text" and a.get("inputmode") == "numeric":
                kind = "number"
            form.fields[name] = Field(name, kind, a.get("value", ""))
        elif tag == "select":
            self._select = Field(name, "multiple" if "multiple" in a else "choice")
            form.fields[name] = self._select
        elif tag == "textarea":
            self._textarea = Field(name, "text")
            form.fields[name] = self._textarea

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def post_forms(html: str, page_path: str) -> list[Form]:
    finder = FormFinder(page_path)
    finder.feed(html)
    return finder.forms


# Values that have broken web forms before: empty, whitespace, NUL and control characters,
# very long input, markup, SQL, format strings, numbers out of every range, impossible dates.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "A" * 100_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n%x{0}{}",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
    "😀" * 300,
    "Ω≈ç√∫",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-Infinity",
    "99999999999999999999999999",
    "2147483648",
    "-9223372036854775809",
    "3.14159",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/1899",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "true",
    "null",
    "[]",
    "{}",
]

nasty = st.sampled_from(NASTY)
text = st.one_of(
    nasty,
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    nasty,
)
FILE_NAMES = [
    "upload.csv",
    "upload.json",
    "upload.zip",
    "upload.pdf",
    "upload.png",
    "upload",
    "x.exe",
]


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


files = st.builds(
    _file,
    st.sampled_from(FILE_NAMES),
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [b"", b"email,course,completed_on\n", b"PK\x03\x04junk", b"%PDF-1.4", b"\xef\xbb\xbf["]
        ),
    ),
)


def value_for(item: Field) -> st.SearchStrategy[Any]:
    """The good value (what the page offers) or something adversarial for its kind."""
    if item.kind == "file":
        return files
    if item.kind in {"choice", "multiple"}:
        offered = st.sampled_from(item.options) if item.options else text
        if item.kind == "multiple":
            return st.lists(st.one_of(offered, nasty), max_size=6)
        return st.one_of(offered, offered, nasty, numbers)
    if item.kind == "hidden":
        return st.one_of(st.just(item.value), st.just(item.value), text)
    if item.kind in {"number", "date"}:
        return numbers
    if item.kind == "email":
        return st.one_of(st.emails().map(str), text)
    return st.one_of(st.just(item.value), text, numbers)


def submissions(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """A POST body: each field present (generated) or missing altogether."""
    parts = {
        name: st.one_of(st.none(), value_for(item), value_for(item))
        for name, item in form.fields.items()
        if name != "csrfmiddlewaretoken"
    }
    return st.fixed_dictionaries(parts).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )
