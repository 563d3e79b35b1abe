"""Checks every uploaded file passes: size, extension, what its first bytes say it is, and, for
a ZIP, how many files it holds and how large they are once unpacked (a "zip bomb")."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings

ZIP_MAGIC = b"PK\x03\x04"
# Extension -> the first bytes a real file of that type starts with. Text types (csv, json)
# have no magic number: they are checked by `_looks_like_text` instead.
MAGIC: Mapping[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (ZIP_MAGIC,),
    "xlsx": (ZIP_MAGIC,),
    "pptx": (ZIP_MAGIC,),
    "zip": (ZIP_MAGIC,),
}
TEXT_TYPES = {"csv", "json", "txt"}
# How much of a text file is read to decide whether it is text.
SNIFF_BYTES = 8192


def size_words(size: int) -> str:
    """5242880 -> "5 MB": the limits are whole megabytes or kilobytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


class ZipTooLarge(ValueError):
    """A ZIP holds too many files, or unpacks to more than the limit."""


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def validate_upload(upload: Any, *, types: Mapping[str, str], max_bytes: int) -> None:
    """Raise a ValidationError unless `upload` is one of `types` (extension -> description,
    e.g. {"csv": "CSV"}), at most `max_bytes`, and its content matches its extension."""
    allowed = " or ".join(dict.fromkeys(types.values()))
    extension = extension_of(str(getattr(upload, "name", "") or ""))
    if extension not in types:
        raise forms.ValidationError(f"The selected file must be a {allowed} file")
    if upload.size > max_bytes:
        raise forms.ValidationError(
            f"The selected file must be smaller than {size_words(max_bytes)}"
        )
    if upload.size == 0:
        raise forms.ValidationError("The selected file is empty")
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if extension in TEXT_TYPES:
        real = _looks_like_text(head.removeprefix(b"\xef\xbb\xbf"))
    else:
        real = any(head.startswith(magic) for magic in MAGIC.get(extension, ()))
    if not real:
        raise forms.ValidationError(
            f"The selected file is not a real {types[extension]} file: it may be damaged, or "
            "saved in a different format"
        )
    if extension == "zip":
        try:
            zip_check(zipfile.ZipFile(upload))
        except zipfile.BadZipFile as exc:
            raise forms.ValidationError("The selected ZIP file cannot be opened") from exc
        except ZipTooLarge as exc:
            raise forms.ValidationError(str(exc)) from exc
        finally:
            upload.seek(0)


def zip_check(archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP with too many members or too much unpacked data, before reading any.

    zipfile stops reading a member at its declared size (and fails its CRC check if the
    data goes on), so the declared sizes are a safe bound on what unpacking produces.
    """
    members = archive.infolist()
    most = int(settings.IMPORT_ZIP_MAX_MEMBERS)
    if len(members) > most:
        raise ZipTooLarge(f"The ZIP file must hold {most} files or fewer")
    total = sum(info.file_size for info in members)
    limit = int(settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES)
    if total > limit:
        raise ZipTooLarge(
            f"The files in the ZIP must add up to less than {size_words(limit)} unpacked"
        )


def zip_open(content: bytes) -> zipfile.ZipFile:
    """A ZipFile over `content` that has passed `zip_check`."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    zip_check(archive)
    return archive
