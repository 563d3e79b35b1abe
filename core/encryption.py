"""Model fields encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256), keys from settings.

`settings.FIELD_ENCRYPTION_KEYS` lists Fernet keys, newest first: the first encrypts, every
one decrypts (MultiFernet), so a key is rotated by putting a new one in front and re-saving
the rows (`encrypted_value_rotate`). See ADR 0008 for why this is not a third-party field.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def fernet() -> MultiFernet:
    """The MultiFernet for the configured keys (rebuilt if the settings change)."""
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    # A token no key opens raises InvalidToken: better a loud error than ciphertext on a page.
    return fernet().decrypt(token.encode("ascii")).decode("utf-8")


def is_token(value: str) -> bool:
    """Whether `value` is a token one of the configured keys opens (not text in the clear)."""
    try:
        fernet().decrypt(value.encode("utf-8"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def encrypted_value_rotate(token: str) -> str:
    """Re-encrypt a stored token under the first (newest) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as a Fernet token. Blank stays blank (so a purged value is visibly empty).

    The stored value differs on every save, so these fields cannot be searched or filtered.
    """

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value)
