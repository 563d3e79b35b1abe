"""Second-factor secrets encrypted at rest, with the field-encryption keys (ADR 0008).

allauth keeps what mints a person's codes in `mfa_authenticator.data`: a TOTP key as
`secret`, a recovery-code seed as `seed`, and codes carried over from elsewhere as
`migrated_codes`. With allauth's default adapter these sit in the clear, so anyone who can
read the table (a backup, a replica, a support query) could sign in as a commissioner with
their password alone. `accounts.adapters.MFAAdapter` encrypts them as allauth writes them and
decrypts them as it reads them; the functions here apply the same change to stored rows
(the data migration that encrypted existing secrets, and key rotation).

WebAuthn rows hold public keys only and are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.encryption import encrypt_text, is_token

SECRET_VALUES = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


def secrets_changed(data: dict[str, Any], change: Callable[[str], str]) -> dict[str, Any]:
    """A copy of an authenticator's `data` with `change` applied to every secret in it."""
    changed = dict(data)
    for key in SECRET_VALUES:
        if isinstance(changed.get(key), str):
            changed[key] = change(changed[key])
    for key in SECRET_LISTS:
        if isinstance(changed.get(key), list):
            changed[key] = [change(value) for value in changed[key]]
    return changed


def encrypted_if_clear(value: str) -> str:
    """`value` encrypted, unless it is already a token the configured keys open."""
    return value if is_token(value) else encrypt_text(value)
