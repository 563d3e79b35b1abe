"""Hypothesis posts adversarial values to every POST form of the portal (issue 8, item 4).

Every page of the URL configuration is opened as each demo role; every <form method="post">
found is fuzzed once, as the first role that can see it. For each generated submission:
- never a server error (an exception in the view counts as one);
- a 200 answer is the form again with the NHS.UK error summary;
- unless the answer is a redirect (success), no row of any model was added or removed.
Each submission runs in a savepoint that is rolled back, so every example starts from the same
demo data. FUZZ_EXAMPLES (default 5) sets the examples per form; FUZZ_RANDOM=true draws new
examples on each run (for longer hunts: FUZZ_RANDOM=true FUZZ_EXAMPLES=50).
"""

from __future__ import annotations

import os
import time
import traceback
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from tests.fuzz.forms import Form, post_forms, submissions
from tests.hardening.support import client_for, filled_routes, row_counts, seed_demo
from tests.system.test_every_page_axe import ROLES

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# The same examples on every run (CI); FUZZ_RANDOM=true explores new ones each time.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM", "") != "true"
# Forms not fuzzed, with the reason.
NOT_FUZZED = {
    "/accounts/logout/": "signs the user out: nothing to validate",
}
# Views whose successful answer is a page (200) rather than a redirect, with the reason; the
# rows such an answer may add are named.
ANSWERS_WITH_A_PAGE: dict[str, tuple[str, set[str]]] = {
    "referrals:referral_contact": (
        "shows the resident's contact details on the page; each reveal is audited",
        {"core.AuditEvent"},
    ),
}


def discover() -> list[tuple[str, Form]]:
    """(role, form) for every distinct POST form, as the first role that can see it."""
    found: dict[tuple[str, tuple[str, ...]], tuple[str, Form]] = {}
    routes = filled_routes()
    for role in ROLES:
        client = client_for(role)
        for _route, path in routes:
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for form in post_forms(response.content.decode(), path):
                if form.action.split("?")[0] in NOT_FUZZED:
                    continue
                found.setdefault(form.signature(), (role, form))
    return list(found.values())


def _is_success(response: Any) -> bool:
    return response.status_code in (301, 302, 303)


def fuzz_form(role: str, form: Form, findings: list[str], counter: list[int]) -> None:
    email = ROLES[role]
    user = User.objects.get(email=email) if email else None
    client = Client()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=submissions(form), xhr=st.booleans())
    def run(data: dict[str, Any], xhr: bool) -> None:
        counter[0] += 1
        # Each example's database work is rolled back, the session's copy in Redis is not: a
        # copy of a session that no longer exists would make the next save fail.
        caches[django_settings.SESSION_CACHE_ALIAS].clear()
        with transaction.atomic():
            if user is not None:
                client.force_login(user)
            before = row_counts()
            where = f"{role}: POST {form.action} {sorted(data)}"
            headers = {"HX-Request": "true"} if xhr else {}
            # A browser always sends the token (CSRF is checked in tests/hardening).
            body = {"csrfmiddlewaretoken": "token", **data}
            try:
                response = client.post(form.action, body, headers=headers)
            except Exception as exc:  # every exception is a finding
                frames = traceback.extract_tb(exc.__traceback__)
                ours = [f for f in frames if "/.venv/" not in f.filename] or frames
                last = ours[-1]
                findings.append(
                    f"{where}: {type(exc).__name__}: {str(exc)[:200]} at "
                    f"{last.filename}:{last.lineno}"
                )
                transaction.set_rollback(True)
                return
            status = response.status_code
            if status >= 500:
                findings.append(f"{where}: HTTP {status}")
            elif not _is_success(response):
                view = resolve(form.action.split("?")[0]).view_name
                reason, may_add = ANSWERS_WITH_A_PAGE.get(view, ("", set()))
                after = row_counts()
                changed = {
                    k: (before[k], after[k])
                    for k in before
                    if before[k] != after[k] and not (status == 200 and k in may_add)
                }
                if changed:
                    findings.append(f"{where}: HTTP {status} but rows changed: {changed}")
                page = response.content.decode(errors="replace")
                if status == 200 and "nhsuk-error-summary" not in page and not reason:
                    findings.append(f"{where}: 200 without an error summary")
            transaction.set_rollback(True)

    run()


# N+1 queries are the query-count tests' concern; here zeal warns instead of raising, so a
# fuzzed request fails only for what a user would see.
@override_settings(ZEAL_RAISE=False)
def test_every_form_survives_adversarial_posts():
    started = time.monotonic()
    seed_demo()
    targets = discover()
    findings: list[str] = []
    counter = [0]
    for role, form in targets:
        fuzz_form(role, form, findings, counter)
    elapsed = time.monotonic() - started
    print(f"fuzzed {len(targets)} forms with {counter[0]} examples in {elapsed:.0f}s")
    unique = sorted(set(findings))
    assert not unique, f"{len(unique)} problem(s):\n" + "\n".join(unique[:80])
    assert len(targets) > 40, f"only {len(targets)} forms were found"
