"""Synthetic demo organisations and one user per role (never real people or real mailboxes).

Areas carry their real ONS codes; email domains use the reserved `.example` top-level domain
so no demo message can reach a real mailbox.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings

from accounts.models import Area, Organisation, OrganisationEmailDomain, Role, RoleMembership, User

PARTNERSHIP = ("E54000028", "North Central London")
BOROUGHS = [
    ("E09000003", "Barnet"),
    ("E09000007", "Camden"),
    ("E09000010", "Enfield"),
    ("E09000014", "Haringey"),
    ("E09000019", "Islington"),
]
K = Organisation.Kind
# name, kind, borough, ODS code (synthetic, Z-prefixed), email domains
ORGANISATIONS = [
    ("London Borough of Barnet", K.LOCAL_AUTHORITY, "Barnet", "", ["barnet.council.example"]),
    ("Camden Council", K.LOCAL_AUTHORITY, "Camden", "", ["camden.council.example"]),
    ("Enfield Council", K.LOCAL_AUTHORITY, "Enfield", "", ["enfield.council.example"]),
    ("Haringey Council", K.LOCAL_AUTHORITY, "Haringey", "", ["haringey.council.example"]),
    ("Islington Council", K.LOCAL_AUTHORITY, "Islington", "", ["islington.council.example"]),
    (
        "NHS North Central London Integrated Care Board",
        K.COMMISSIONER,
        "Camden",
        "QMJ",
        ["nclicb.nhs.example"],
    ),
    (
        "Fleet Valley University Hospitals NHS Foundation Trust",
        K.NHS_TRUST,
        "Camden",
        "ZT001",
        ["fleetvalley.nhs.example"],
    ),
    (
        "Highgate Hill Hospital NHS Trust",
        K.NHS_TRUST,
        "Islington",
        "ZT002",
        ["highgatehill.nhs.example"],
    ),
    (
        "North London Mental Health Partnership NHS Trust",
        K.NHS_TRUST,
        "Barnet",
        "ZT003",
        ["nlmhp.nhs.example"],
    ),
    (
        "Lea Valley Community Health NHS Trust",
        K.NHS_TRUST,
        "Enfield",
        "ZT004",
        ["leavalley.nhs.example"],
    ),
    (
        "Alexandra Park Primary Care Network",
        K.PRIMARY_CARE,
        "Haringey",
        "ZP001",
        ["alexandrapark.pcn.example"],
    ),
    (
        "Caledonian Road Health Centre",
        K.PRIMARY_CARE,
        "Islington",
        "ZP002",
        ["caledonianroad.gp.example"],
    ),
    (
        "Wood Green Voluntary Action",
        K.VOLUNTARY_SECTOR,
        "Haringey",
        "",
        ["woodgreenva.org.example"],
    ),
    ("Enfield Carers Network", K.VOLUNTARY_SECTOR, "Enfield", "", ["enfieldcarers.org.example"]),
]
PARTNERSHIP_SCOPE = "partnership"
# role, email, full name, staff group, job title, organisation, scope (organisation / area name)
USERS = [
    (
        Role.FRONTLINE_WORKER,
        "frontline@fleetvalley.nhs.example",
        "Amira Okafor",
        "nursing",
        "Staff nurse",
        "Fleet Valley University Hospitals NHS Foundation Trust",
        None,
    ),
    (
        Role.TRAINER,
        "trainer@camden.council.example",
        "Tom Reilly",
        "public_health",
        "MECC trainer",
        "Camden Council",
        None,
    ),
    (
        Role.TRAINING_LEAD,
        "training.lead@fleetvalley.nhs.example",
        "Priya Shah",
        "admin_clerical",
        "Learning and development lead",
        "Fleet Valley University Hospitals NHS Foundation Trust",
        None,
    ),
    (
        Role.SERVICE_PROVIDER,
        "provider@woodgreenva.org.example",
        "Grace Mensah",
        "voluntary",
        "Services coordinator",
        "Wood Green Voluntary Action",
        None,
    ),
    (
        Role.COMMISSIONER,
        "commissioner@nclicb.nhs.example",
        "Daniel Levy",
        "public_health",
        "Prevention commissioner",
        "NHS North Central London Integrated Care Board",
        PARTNERSHIP_SCOPE,
    ),
    (
        Role.COMMISSIONER,
        "commissioner@haringey.council.example",
        "Sofia Costa",
        "public_health",
        "Public health commissioner",
        "Haringey Council",
        "Haringey",
    ),
    (
        Role.ADMINISTRATOR,
        "admin@nclicb.nhs.example",
        "Hannah Brooks",
        "admin_clerical",
        "Portal administrator",
        "NHS North Central London Integrated Care Board",
        PARTNERSHIP_SCOPE,
    ),
]


def demo_password() -> str:
    """DEMO_PASSWORD, or one generated on first use and kept in var/ (never in the repository)."""
    from_env = os.environ.get("DEMO_PASSWORD")
    if from_env:
        return from_env
    path = Path(settings.VAR_DIR) / "demo-password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = f"mecc-demo-{secrets.token_urlsafe(9)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password, encoding="utf-8")
    path.chmod(0o600)
    return password


def seed() -> list[tuple[str, str, str]]:
    partnership, _ = Area.objects.update_or_create(
        ons_code=PARTNERSHIP[0], defaults={"name": PARTNERSHIP[1], "kind": Area.Kind.PARTNERSHIP}
    )
    areas = {PARTNERSHIP_SCOPE: partnership}
    for code, name in BOROUGHS:
        areas[name], _ = Area.objects.update_or_create(
            ons_code=code, defaults={"name": name, "kind": Area.Kind.BOROUGH, "parent": partnership}
        )
    organisations = {}
    for name, kind, borough, ods_code, domains in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "area": areas[borough], "ods_code": ods_code}
        )
        organisations[name] = organisation
        for domain in domains:
            OrganisationEmailDomain.objects.update_or_create(
                domain=domain, defaults={"organisation": organisation}
            )

    password = demo_password()
    credentials = []
    for role, email, full_name, staff_group, job_title, org_name, scope_name in USERS:
        organisation = organisations[org_name]
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": full_name,
                "staff_group": staff_group,
                "job_title": job_title,
                "organisation": organisation,
                "is_active": True,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if scope_name is None:
            RoleMembership.objects.get_or_create(user=user, role=role, organisation=organisation)
        else:
            RoleMembership.objects.get_or_create(user=user, role=role, area=areas[scope_name])
        credentials.append((role.label, email, password))
    return credentials
