"""Second-factor secrets are stored encrypted, still sign people in, and move with key rotation."""

from __future__ import annotations

from importlib import import_module
from io import StringIO
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from core.encryption import decrypt_text, encrypt_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"
migration = import_module("accounts.migrations.0002_encrypt_mfa_secrets")


def _code(secret: str) -> str:
    counter = int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD
    code: str = format_hotp_value(hotp_value(secret, counter))
    return code


def _stored(authenticator: Authenticator) -> dict[str, Any]:
    """The row's data as the database holds it (allauth's adapter is not involved)."""
    data: dict[str, Any] = Authenticator.objects.values_list("data", flat=True).get(
        pk=authenticator.pk
    )
    return data


def test_a_totp_key_is_stored_encrypted_and_its_codes_still_verify():
    totp = TOTP.activate(UserFactory(), SECRET)
    stored = _stored(totp.instance)["secret"]
    assert SECRET not in stored
    assert decrypt_text(stored) == SECRET
    assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(_code(SECRET))


def test_a_totp_key_stored_in_the_clear_is_refused_not_compared_with():
    """A key no configured key opens fails loudly: codes are never checked against it."""
    row = Authenticator.objects.create(
        user=UserFactory(), type=Authenticator.Type.TOTP, data={"secret": SECRET}
    )
    with pytest.raises(InvalidToken):
        TOTP(row).validate_code(_code(SECRET))


def test_a_recovery_code_seed_is_stored_encrypted_and_its_codes_still_work():
    codes = RecoveryCodes.activate(UserFactory())
    seed = _stored(codes.instance)["seed"]
    assert len(decrypt_text(seed)) == 80  # 40 random bytes as hex, only in the token
    unused = codes.get_unused_codes()
    assert len(unused) == mfa_settings.RECOVERY_CODE_COUNT
    assert all(code not in seed for code in unused)
    fresh = RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk))
    assert fresh.validate_code(unused[0])
    assert not RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(
        unused[0]
    )


def test_the_migration_encrypts_secrets_stored_in_the_clear_once_and_can_be_reversed():
    user = UserFactory()
    totp = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": SECRET}
    )
    recovery = Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "ab" * 40, "used_mask": 3, "migrated_codes": ["12345678", "87654321"]},
    )
    webauthn = Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"credential": {"id": "public"}}
    )
    already = Authenticator.objects.create(
        user=UserFactory(), type=Authenticator.Type.TOTP, data={"secret": encrypt_text(SECRET)}
    )
    already_before = _stored(already)

    migration.encrypt_secrets(apps, None)

    assert decrypt_text(_stored(totp)["secret"]) == SECRET
    data = _stored(recovery)
    assert decrypt_text(data["seed"]) == "ab" * 40
    assert [decrypt_text(code) for code in data["migrated_codes"]] == ["12345678", "87654321"]
    assert data["used_mask"] == 3
    assert _stored(webauthn) == {"credential": {"id": "public"}}
    assert _stored(already) == already_before  # not encrypted twice
    assert TOTP(Authenticator.objects.get(pk=totp.pk)).validate_code(_code(SECRET))

    encrypted = _stored(totp)
    migration.encrypt_secrets(apps, None)
    assert _stored(totp) == encrypted

    migration.decrypt_secrets(apps, None)
    assert _stored(totp) == {"secret": SECRET}
    assert _stored(recovery)["migrated_codes"] == ["12345678", "87654321"]


def test_key_rotation_moves_second_factor_secrets_to_the_new_key(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    totps = [TOTP.activate(UserFactory(), SECRET) for _ in range(3)]
    recovery = RecoveryCodes.activate(totps[0].instance.user)
    codes = recovery.get_unused_codes()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_field_encryption", batch_size=2, stdout=out)
    assert "mfa.Authenticator: 4 second-factor secrets re-encrypted" in out.getvalue()
    assert SECRET not in out.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is retired
    for totp in totps:
        assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(_code(SECRET))
    assert RecoveryCodes(Authenticator.objects.get(pk=recovery.instance.pk)).validate_code(codes[1])

    again = StringIO()
    call_command("rotate_field_encryption", stdout=again)
    assert "mfa.Authenticator: 0 second-factor secrets re-encrypted, 4 already" in again.getvalue()
