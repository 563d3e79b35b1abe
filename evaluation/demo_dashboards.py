"""Demo standards for each borough, then the rollups rebuilt from everyone's demo data, so
every chart, SPC chart, benchmark and report in the demo shows something true."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from accounts.models import Area, Role, User
from evaluation.models import BenchmarkIndicator, Report, Standard
from evaluation.selectors.dashboard import DashboardFilters, Period, add_months
from evaluation.services.reports import MONTHLY_PACK_MONTHS, report_build
from evaluation.services.rollups import rollups_rebuild

B = BenchmarkIndicator
# (target, amber threshold) per indicator; boroughs differ a little, as agreed locally. Set
# so the demo boroughs show a mix of met, close and not met against the demo's own data.
STANDARDS: dict[str, tuple[str, str]] = {
    B.SHARE_TRAINED: ("40", "25"),
    B.CONVERSATIONS_PER_TRAINED: ("8", "5"),
    B.SIGNPOSTS_PER_100: ("32", "26"),
    B.REFERRALS_COMPLETED: ("60", "40"),
    B.COST_PER_PERSON: ("20", "30"),
}
# Stretch for the boroughs that asked for higher ambitions (percent added to the target).
STRETCH = {"E09000007": 10, "E09000019": 20, "E09000003": 0, "E09000010": -10, "E09000014": 0}


def seed_dashboards() -> None:
    for area in Area.objects.filter(kind=Area.Kind.BOROUGH):
        stretch = Decimal(100 + STRETCH.get(area.ons_code, 0)) / 100
        for indicator, (target, amber) in STANDARDS.items():
            lower = indicator == B.COST_PER_PERSON
            factor = 1 / stretch if lower else stretch
            Standard.objects.get_or_create(
                indicator=indicator,
                area=area,
                defaults={
                    "target": (Decimal(target) * factor).quantize(Decimal("0.1")),
                    "amber_threshold": (Decimal(amber) * factor).quantize(Decimal("0.1")),
                },
            )
    rollups_rebuild()
    _monthly_packs()


def _monthly_packs() -> None:
    """Last month's pack for each demo commissioner, built now, so "Your reports" has one to
    download. Same key as the monthly task, so that task will not make it again."""
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    filters = DashboardFilters(
        period=Period(add_months(last_month, 1 - MONTHLY_PACK_MONTHS), last_month)
    )
    commissioners = User.objects.filter(
        is_active=True, role_memberships__role=Role.COMMISSIONER
    ).distinct()
    for user in commissioners.order_by("pk"):
        for format in (Report.Format.PDF, Report.Format.XLSX):
            report, _ = Report.objects.get_or_create(
                idempotency_key=f"monthly:{user.pk}:{last_month:%Y-%m}:{format}",
                defaults={
                    "requested_by": user,
                    "kind": Report.Kind.MONTHLY,
                    "scope": filters.as_scope(),
                    "period_start": filters.period.start,
                    "period_end": filters.period.end,
                    "format": format,
                },
            )
            if report.status != Report.Status.READY:
                report_build(report_id=report.pk)
