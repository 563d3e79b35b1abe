"""Bulk synthetic data for load and scale tests: the demo world, then each app that has a
`generate` module adds its share for the number of conversations asked for, in order."""

from __future__ import annotations

import time
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from core.bulk import GenerationPlan


class Command(BaseCommand):
    help = (
        "Generate synthetic data at scale (staff, conversations, signposts, referrals, "
        "training) on top of the demo data, then rebuild the dashboards' rollups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--conversations", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The day the data runs up to (YYYY-MM-DD; default: today).",
        )
        parser.add_argument(
            "--skip-demo", action="store_true", help="The demo data is loaded already."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["conversations"] < 1:
            raise CommandError("--conversations must be at least 1")
        plan = GenerationPlan(
            conversations=options["conversations"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
        )
        if not options["skip_demo"]:
            call_command("seed_demo", stdout=self.stdout)
        with transaction.atomic():
            # INSTALLED_APPS order is the dependency order (core, accounts, training, ...).
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.generate"
                if find_spec(app_config.name) is None or find_spec(module_name) is None:
                    continue
                started = time.monotonic()
                counts: dict[str, int] = import_module(module_name).generate(plan) or {}
                summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
                self.stdout.write(
                    f"{app_config.label}: {summary or 'done'} ({time.monotonic() - started:.1f} s)"
                )
        self.stdout.write(self.style.SUCCESS("Generated data is loaded."))
