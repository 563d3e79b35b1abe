"""Load the synthetic demo data: each app that has a `demo` module seeds its part, in order."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the synthetic demo data (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        credentials: list[tuple[str, str, str]] = []
        with transaction.atomic():
            # INSTALLED_APPS order is the dependency order (core, accounts, training, ...).
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(app_config.name) is None or find_spec(module_name) is None:
                    continue
                module = import_module(module_name)
                credentials.extend(module.seed() or [])
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        if settings.DEBUG and credentials:
            self.stdout.write("\nDemo users (DEBUG only; synthetic people, not real accounts):")
            for role, email, password in credentials:
                self.stdout.write(f"  {role:<20} {email:<40} {password}")
