"""Inside Django, against one bench database: the accounts and sessions the clients use.

Run as `python -m bench.prepare` with DATABASE_URL set; prints JSON on stdout. Sessions are
made directly (no sign-in form, no MFA prompt): the bench measures pages, not the login.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from typing import Any


def _session_cookie(user: Any) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # as force_login does
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def prepare(bookers: int) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator
    from django.utils import timezone

    from accounts.models import Area, Organisation, Role, RoleMembership, User
    from referrals.models import Topic
    from training.models import Course, Programme, Session

    trust = Organisation.objects.filter(kind=Organisation.Kind.NHS_TRUST).order_by("name")[0]

    def person(email: str, role: str, **scope: Any) -> User:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"full_name": email.split("@")[0], "organisation": trust,
                      "staff_group": "nursing"},
        )  # fmt: skip
        RoleMembership.objects.get_or_create(user=user, role=role, **scope)
        return user

    writers = [
        person(f"bench-writer-{n}@bench.example", Role.FRONTLINE_WORKER, organisation=trust)
        for n in range(20)
    ]
    partnership = Area.objects.get(kind=Area.Kind.PARTNERSHIP)
    commissioner = person("bench-commissioner@bench.example", Role.COMMISSIONER,
                          area=partnership)  # fmt: skip
    admin = person("bench-admin@bench.example", Role.ADMINISTRATOR, area=partnership)
    for privileged in (commissioner, admin):
        Authenticator.objects.get_or_create(
            user=privileged, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    learners = [
        person(f"bench-learner-{n}@bench.example", Role.FRONTLINE_WORKER, organisation=trust)
        for n in range(bookers)
    ]
    course = (
        Course.objects.filter(programme__code=Programme.Code.MECC, is_active=True)
        .exclude(delivery_mode=Course.Mode.E_LEARNING)
        .order_by("pk")[0]
    )
    starts = timezone.now() + datetime.timedelta(days=30)
    session = Session.objects.create(
        course=course, organisation=trust, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3), capacity=10, venue_name="Bench room",
    )  # fmt: skip
    smoking = Topic.objects.get(slug="smoking")
    mecc = Programme.objects.get(code=Programme.Code.MECC)
    dashboard_query = (
        f"area={trust.area_id}&organisation={trust.pk}&programme={mecc.pk}"
        f"&staff_group=nursing&topic={smoking.pk}&period=12"
    )
    return {
        "writer_cookies": [_session_cookie(u) for u in writers],
        "writer_ids": [u.pk for u in writers],
        "commissioner_cookie": _session_cookie(commissioner),
        "admin_cookie": _session_cookie(admin),
        "booker_cookies": [_session_cookie(u) for u in learners],
        "booking_session_id": session.pk,
        "topic_ids": list(Topic.objects.filter(is_active=True).values_list("pk", flat=True)),
        "area_id": trust.area_id,
        "dashboard_query": dashboard_query,
    }


def counts(writer_ids: list[int], session_id: int) -> dict[str, int]:
    from referrals.models import Conversation
    from training.models import Booking

    return {
        "conversations": Conversation.objects.filter(author_id__in=writer_ids).count(),
        "booked": Booking.objects.filter(session_id=session_id, status="booked").count(),
        "waitlisted": Booking.objects.filter(session_id=session_id, status="waitlisted").count(),
        "all_conversations": Conversation.objects.count(),
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mecc_portal.settings")
    django.setup()
    command = sys.argv[1]
    if command == "prepare":
        result: dict[str, Any] = prepare(int(sys.argv[2]))
    elif command == "counts":
        args = json.loads(sys.argv[2])
        result = counts(args["writer_ids"], args["session_id"])
    elif command == "refresh":
        from bench.refresh import refresh_timings

        result = refresh_timings(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {command}")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
