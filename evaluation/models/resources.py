"""The public MECC resources library and the public health glossary."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.models import TimeStampedModel

MAX_RESOURCE_BYTES = 10 * 1024 * 1024
# Extension -> (media type it is served as, first bytes it must start with; None: plain text).
RESOURCE_FILE_TYPES: dict[str, tuple[str, bytes | None]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
}


def resource_extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_resource_file(file: File) -> None:  # type: ignore[type-arg]
    """At most 10 MB, and the content must match the extension (no renamed executables)."""
    if file.size is not None and file.size > MAX_RESOURCE_BYTES:
        raise ValidationError("The file must be smaller than 10 MB", code="file_too_big")
    kind = RESOURCE_FILE_TYPES.get(resource_extension(file.name or ""))
    if kind is None:
        return  # FileExtensionValidator reports the extension
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    magic = kind[1]
    if magic is not None:
        matches = head.startswith(magic)
    else:
        try:
            head.decode("utf-8")
            matches = b"\x00" not in head
        except UnicodeDecodeError:
            # A multi-byte character cut at 2048 bytes is still text.
            matches = b"\x00" not in head and len(head) == 2048
    if not matches:
        raise ValidationError(
            "The file's contents do not match its type: upload the document itself",
            code="file_type_mismatch",
        )


class Resource(TimeStampedModel):
    """A document or course in the MECC resources library: a link or an uploaded file."""

    class Category(models.TextChoices):
        CONSENSUS_STATEMENT = "consensus_statement", "Consensus statement"
        IMPLEMENTATION_GUIDE = "implementation_guide", "Implementation guide"
        QUALITY_MARKER_CHECKLIST = "quality_marker_checklist", "Quality marker checklist"
        EVALUATION_GUIDE = "evaluation_guide", "Evaluation guide"
        E_LEARNING = "e_learning", "E-learning"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200, unique=True)
    summary = models.TextField()
    category = models.CharField(max_length=30, choices=Category.choices)
    audience = models.CharField(
        max_length=200, blank=True, help_text="Who it is for, for example training leads"
    )
    publisher = models.CharField(max_length=200, blank=True)
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)
    external_url = models.URLField("link", blank=True, max_length=500)
    file = models.FileField(
        upload_to="resources/%Y/",
        blank=True,
        max_length=200,
        validators=[
            FileExtensionValidator(list(RESOURCE_FILE_TYPES)),
            validate_resource_file,
        ],
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument text, CSV or text; up to 10 MB.",
    )
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ("category", "title")
        constraints = [
            models.CheckConstraint(
                condition=Q(external_url="") | Q(file=""),
                name="resource_is_a_link_or_a_file_not_both",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.external_url and self.file:
            raise ValidationError("Give a link or upload a file, not both")


class GlossaryTerm(TimeStampedModel):
    """A public health term and its plain-English definition."""

    term = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    definition = models.TextField()
    related_terms = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = (Lower("term"),)

    def __str__(self) -> str:
        return self.term

    @property
    def letter(self) -> str:
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"
