"""Re-encrypt every encrypted value under the newest key: `manage.py rotate_field_encryption`.

Rotating the field-encryption key (ADR 0008): put the new key first in FIELD_ENCRYPTION_KEY
(keys separated by commas, newest first), deploy, run this command, then drop the old key.
It walks every model with an EncryptedTextField, then the second-factor secrets
(accounts.mfa_secrets), in primary-key batches, one transaction per batch, and rewrites only
tokens the newest key cannot already open, so running it again does nothing.
It never prints or logs a decrypted value.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from accounts.mfa_secrets import secrets_changed
from core.encryption import EncryptedTextField, encrypted_value_rotate
from core.services import audit_record


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Each concrete model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (residents' contact details, second-factor secrets) "
        "under the first key in FIELD_ENCRYPTION_KEY. Safe to run again: values already "
        "under it are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode("ascii"))
        totals: Counter[str] = Counter()
        per_model: dict[str, dict[str, int]] = {}
        for model, names in encrypted_fields():
            counts = self._rotate_model(model, names, newest, batch_size)
            per_model[model._meta.label] = dict(counts)
            totals.update(counts)
            self.stdout.write(
                f"{model._meta.label}: {counts['rotated']} values re-encrypted, "
                f"{counts['current']} already under the newest key, {counts['blank']} blank"
            )
        counts = self._rotate_authenticators(newest, batch_size)
        per_model["mfa.Authenticator"] = dict(counts)
        totals.update(counts)
        self.stdout.write(
            f"mfa.Authenticator: {counts['rotated']} second-factor secrets re-encrypted, "
            f"{counts['current']} already under the newest key"
        )
        audit_record(
            actor=None,
            action="core.field_encryption_rotated",
            details={
                "keys_configured": len(settings.FIELD_ENCRYPTION_KEYS),
                "rotated": totals["rotated"],
                "current": totals["current"],
                "blank": totals["blank"],
                "models": per_model,
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {totals['rotated']} values; {totals['current']} were already "
                "under the newest key."
            )
        )

    def _rotate_model(
        self, model: type[models.Model], names: list[str], newest: Fernet, batch_size: int
    ) -> Counter[str]:
        counts: Counter[str] = Counter(rotated=0, current=0, blank=0)
        # Cast to plain text so the stored token comes back as it is, not decrypted.
        raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in names}
        manager = model._default_manager
        last_pk: Any = None
        while True:
            with transaction.atomic():
                batch = manager.select_for_update().order_by("pk")
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                rows = list(batch.annotate(**raw).values("pk", *raw)[:batch_size])
                if not rows:
                    return counts
                for row in rows:
                    changes = {}
                    for name in names:
                        token = row[f"raw_{name}"]
                        if not token:
                            counts["blank"] += 1
                        elif _opens(newest, token):
                            counts["current"] += 1
                        else:
                            changes[name] = models.Value(
                                encrypted_value_rotate(token), output_field=models.TextField()
                            )
                            counts["rotated"] += 1
                    if changes:
                        manager.filter(pk=row["pk"]).update(**changes)
                last_pk = rows[-1]["pk"]

    def _rotate_authenticators(self, newest: Fernet, batch_size: int) -> Counter[str]:
        """TOTP keys and recovery-code seeds (accounts.mfa_secrets), in primary-key batches."""
        counts: Counter[str] = Counter(rotated=0, current=0)

        def rotate(token: str) -> str:
            if _opens(newest, token):
                counts["current"] += 1
                return token
            counts["rotated"] += 1
            return encrypted_value_rotate(token)

        manager = Authenticator.objects
        last_pk: Any = None
        while True:
            with transaction.atomic():
                batch = manager.select_for_update().filter(
                    type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
                )
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                rows = list(batch.order_by("pk").values("pk", "data")[:batch_size])
                if not rows:
                    return counts
                for row in rows:
                    data = secrets_changed(row["data"], rotate)
                    if data != row["data"]:
                        manager.filter(pk=row["pk"]).update(data=data)
                last_pk = rows[-1]["pk"]


def _opens(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
