from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_find_resources_and_glossary_in_the_footer(client):
    content = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("evaluation:resources")}">MECC resources</a>' in content
    assert f'href="{reverse("evaluation:glossary")}">Public health glossary</a>' in content


def test_everyone_signed_in_has_resources_in_the_menu(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    response = client.get(reverse("evaluation:glossary"))
    items = {i["label"]: i for i in response.context["nav_items"]}
    assert items["Resources"]["url"] == reverse("evaluation:resources")


def test_training_leads_get_return_and_workforce_actions_on_home(client, make_user, camden_trust):
    client.force_login(make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True))
    content = client.get(reverse("home")).content.decode()
    assert (
        f'href="{reverse("evaluation:returns")}">Submit your organisation&#x27;s return' in content
    )
    assert f'href="{reverse("evaluation:workforce")}">Workforce numbers' in content
    assert "Organisation returns</a>" not in content


def test_commissioners_get_the_returns_summary_on_home(client, make_user, camden):
    client.force_login(make_user(Role.COMMISSIONER, camden, with_mfa=True))
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("evaluation:returns_summary")}">Organisation returns</a>' in content
    assert "Workforce numbers" not in content


def test_frontline_workers_get_neither(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    content = client.get(reverse("home")).content.decode()
    assert "Submit your organisation" not in content
    assert "Organisation returns" not in content
