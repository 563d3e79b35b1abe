"""Recompute every dashboard rollup table from the raw data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from evaluation.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute every dashboard rollup table from the raw data."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rollups_rebuild()
        for table, rows in counts.items():
            self.stdout.write(f"{table}: {rows} rows")
        self.stdout.write(self.style.SUCCESS("Rollups rebuilt."))
