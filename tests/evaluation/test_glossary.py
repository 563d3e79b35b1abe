from __future__ import annotations

import pytest
from django.urls import reverse

from tests.evaluation.factories import GlossaryTermFactory
from tests.evaluation.support import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    mecc = GlossaryTermFactory(
        term="Making Every Contact Count",
        slug="mecc",
        definition="An approach to behaviour change using day-to-day contacts.",
    )
    vba = GlossaryTermFactory(
        term="Very brief advice", slug="very-brief-advice", definition="A 30-second conversation."
    )
    GlossaryTermFactory(
        term="Health inequalities",
        slug="health-inequalities",
        definition="Unfair and avoidable differences in health.",
    )
    mecc.related_terms.add(vba)
    return mecc, vba


def terms_on(response):
    return [t.term for _, group in response.context["groups"] for t in group]


def test_anyone_can_browse_every_term_a_to_z_without_signing_in(client, terms):
    response = client.get(reverse("evaluation:glossary"))
    assert response.status_code == 200
    assert terms_on(response) == [
        "Health inequalities",
        "Making Every Contact Count",
        "Very brief advice",
    ]
    content = response.content.decode()
    assert "<title>Public health glossary \N{EN DASH} MECC Portal</title>" in content
    assert 'href="/glossary/?letter=H"' in content
    assert 'B<span class="nhsuk-u-visually-hidden"> (no terms)</span>' in content


def test_search_matches_terms_and_definitions_case_insensitively(client, terms):
    url = reverse("evaluation:glossary")
    assert terms_on(client.get(url, {"q": "BRIEF"})) == ["Very brief advice"]
    assert terms_on(client.get(url, {"q": "avoidable"})) == ["Health inequalities"]
    response = client.get(url, {"q": "zebra"})
    assert terms_on(response) == []
    assert (
        "0 terms found for \N{LEFT SINGLE QUOTATION MARK}zebra\N{RIGHT SINGLE QUOTATION MARK}"
        in response.content.decode()
    )


def test_a_letter_shows_only_terms_starting_with_it(client, terms):
    response = client.get(reverse("evaluation:glossary"), {"letter": "V"})
    assert terms_on(response) == ["Very brief advice"]
    assert 'aria-current="page">V</a>' in response.content.decode()


def test_related_terms_link_to_each_other_both_ways(client, terms):
    content = client.get(reverse("evaluation:glossary")).content.decode()
    assert 'href="/glossary/?letter=V#very-brief-advice">Very brief advice</a>' in content
    assert 'href="/glossary/?letter=M#mecc">Making Every Contact Count</a>' in content


def test_bad_input_is_an_error_or_ignored_never_a_crash(client, terms):
    url = reverse("evaluation:glossary")
    response = client.get(url, {"q": "x" * 101})
    assert response.status_code == 200
    assert "Search for 100 characters or fewer" in response.content.decode()
    response = client.get(url, {"letter": "<script>"})
    assert response.status_code == 200
    assert "&lt;script&gt;" not in response.content.decode()


def test_glossary_query_count_does_not_grow_with_terms(client, django_assert_num_queries):
    first = GlossaryTermFactory()
    url = reverse("evaluation:glossary")
    at_one = queries_for(client, url)
    for _ in range(49):
        GlossaryTermFactory().related_terms.add(first)
    with django_assert_num_queries(at_one):
        response = client.get(url)
    assert len(terms_on(response)) == 50
