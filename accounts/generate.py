"""Generated staff for load tests: frontline workers spread over the demo's organisations.

One worker per 33 conversations (a partnership of 30,000 staff logs about a million a year),
with reserved `.example` addresses and unusable passwords: nobody signs in as them.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Organisation, Role, RoleMembership, StaffGroup, User
from core.bulk import GenerationPlan, bulk_insert, next_id

CONVERSATIONS_PER_WORKER = 33
WORKER_ORGANISATION_KINDS = (
    Organisation.Kind.NHS_TRUST,
    Organisation.Kind.LOCAL_AUTHORITY,
    Organisation.Kind.PRIMARY_CARE,
    Organisation.Kind.VOLUNTARY_SECTOR,
)
STAFF_GROUP_WEIGHTS: dict[str, dict[str, int]] = {
    Organisation.Kind.NHS_TRUST: {
        StaffGroup.NURSING: 30,
        StaffGroup.MEDICAL: 10,
        StaffGroup.ALLIED_HEALTH: 12,
        StaffGroup.HEALTHCARE_SCIENCE: 4,
        StaffGroup.CLINICAL_SUPPORT: 14,
        StaffGroup.ADMIN_CLERICAL: 8,
    },
    Organisation.Kind.LOCAL_AUTHORITY: {
        StaffGroup.SOCIAL_CARE: 10,
        StaffGroup.HOUSING: 8,
        StaffGroup.PUBLIC_HEALTH: 3,
        StaffGroup.ADMIN_CLERICAL: 5,
    },
    Organisation.Kind.PRIMARY_CARE: {
        StaffGroup.NURSING: 6,
        StaffGroup.MEDICAL: 4,
        StaffGroup.CLINICAL_SUPPORT: 4,
        StaffGroup.ADMIN_CLERICAL: 6,
    },
    Organisation.Kind.VOLUNTARY_SECTOR: {StaffGroup.VOLUNTARY: 1, StaffGroup.OTHER: 1},
}
KIND_WEIGHTS: dict[str, float] = {
    Organisation.Kind.NHS_TRUST: 5.0,
    Organisation.Kind.LOCAL_AUTHORITY: 3.0,
    Organisation.Kind.PRIMARY_CARE: 2.0,
    Organisation.Kind.VOLUNTARY_SECTOR: 0.5,
}
GENERATED_DOMAIN = "staff.generated.example"


def generate(plan: GenerationPlan) -> dict[str, int]:
    rng = plan.rng("accounts")
    organisations = list(
        Organisation.objects.filter(kind__in=WORKER_ORGANISATION_KINDS).order_by("name")
    )
    if not organisations:
        return {}
    count = max(10, plan.conversations // CONVERSATIONS_PER_WORKER)
    weights = [KIND_WEIGHTS[o.kind] for o in organisations]
    first_user = next_id(User)
    first_membership = next_id(RoleMembership)
    joined = timezone.now()
    users: list[tuple[object, ...]] = []
    memberships: list[tuple[object, ...]] = []
    picks = rng.choices(organisations, weights=weights, k=count)
    for offset, organisation in enumerate(picks):
        groups = STAFF_GROUP_WEIGHTS[organisation.kind]
        staff_group = rng.choices(list(groups), weights=list(groups.values()))[0]
        user_id = first_user + offset
        users.append(
            (
                user_id,
                "!generated",  # an unusable password: no sign-in
                False,
                f"worker{user_id}@{GENERATED_DOMAIN}",
                f"Generated worker {user_id}",
                organisation.pk,
                staff_group,
                "Frontline worker",
                True,
                False,
                joined,
            )
        )
        memberships.append(
            (
                first_membership + offset,
                joined,
                joined,
                user_id,
                Role.FRONTLINE_WORKER,
                organisation.pk,
            )
        )
    bulk_insert(
        User,
        [
            "id",
            "password",
            "is_superuser",
            "email",
            "full_name",
            "organisation",
            "staff_group",
            "job_title",
            "is_active",
            "is_staff",
            "date_joined",
        ],
        users,
    )
    bulk_insert(
        RoleMembership,
        ["id", "created_at", "updated_at", "user", "role", "organisation"],
        memberships,
    )
    return {"staff": count}
