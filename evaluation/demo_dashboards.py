"""Demo standards for each borough, then the rollups rebuilt from everyone's demo data, so
every chart, SPC chart, benchmark and report in the demo shows something true."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Area
from evaluation.models import BenchmarkIndicator, Standard
from evaluation.services.rollups import rollups_rebuild

B = BenchmarkIndicator
# (target, amber threshold) per indicator; boroughs differ a little, as agreed locally.
STANDARDS: dict[str, tuple[str, str]] = {
    B.SHARE_TRAINED: ("1", "0.5"),
    B.CONVERSATIONS_PER_TRAINED: ("4", "2"),
    B.SIGNPOSTS_PER_100: ("30", "20"),
    B.REFERRALS_COMPLETED: ("40", "25"),
    B.COST_PER_PERSON: ("45", "70"),
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
