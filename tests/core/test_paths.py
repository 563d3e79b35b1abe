"""core.paths.reverse_remembered: the path reverse() gives, computed once per URLconf,
script prefix, name and arguments."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from core import paths


@pytest.fixture(autouse=True)
def _forget():  # type: ignore[no-untyped-def]
    paths._reverse.cache_clear()
    yield
    paths._reverse.cache_clear()
    clear_script_prefix()


def test_each_argument_gets_the_path_reverse_gives():
    assert paths.reverse_remembered("training:session_detail", 7) == reverse(
        "training:session_detail", args=[7]
    )
    assert paths.reverse_remembered("training:session_detail", 8) == "/training/sessions/8/"
    assert paths.reverse_remembered("home") == reverse("home")


def test_it_is_computed_once(monkeypatch):
    calls: list[str] = []
    real = paths.reverse

    def counted(viewname: str, **kwargs: object) -> str:
        calls.append(viewname)
        return real(viewname, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(paths, "reverse", counted)
    first = paths.reverse_remembered("training:session_detail", 7)
    assert paths.reverse_remembered("training:session_detail", 7) == first
    assert calls == ["training:session_detail"]


def test_a_script_prefix_gives_its_own_path():
    assert paths.reverse_remembered("training:session_detail", 7) == "/training/sessions/7/"
    set_script_prefix("/portal/")
    assert paths.reverse_remembered("training:session_detail", 7) == (
        "/portal/training/sessions/7/"
    )


def test_an_unknown_name_still_raises():
    with pytest.raises(NoReverseMatch):
        paths.reverse_remembered("training:no_such_page", 7)
