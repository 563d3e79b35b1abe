"""Import Open Referral UK data: `manage.py import_oruk PATH [--area ONS_CODE]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Area
from referrals.importers import import_path


class Command(BaseCommand):
    help = (
        "Import services from Open Referral UK JSON, a ZIP of the CSV package, or a folder of "
        "its CSVs. All or nothing: any row error imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--area",
            help="ONS code of the area new organisations are put in (default: the partnership)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if options["area"]:
            area = Area.objects.filter(ons_code=options["area"]).first()
        else:
            area = Area.objects.filter(kind=Area.Kind.PARTNERSHIP).order_by("pk").first()
        if area is None:
            raise CommandError("No such area: give --area with an area's ONS code")
        report = import_path(path, default_area=area)
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(f"Nothing was imported: {len(report.errors)} rows have errors")
        self.stdout.write(self.style.SUCCESS(f"Imported {report.summary()}"))
