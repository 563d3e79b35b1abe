"""Display logic for conversations and referrals: status tags, timelines, QR codes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from referrals.models import Referral, ReferralStatusChange

S = Referral.Status

STATUS_TAG_COLOURS: dict[str, str] = {
    S.SIGNPOSTED: "nhsuk-tag--grey",
    S.SENT: "nhsuk-tag--blue",
    S.ACCEPTED: "nhsuk-tag--aqua-green",
    S.DECLINED: "nhsuk-tag--red",
    S.ATTENDED: "nhsuk-tag--purple",
    S.DID_NOT_ATTEND: "nhsuk-tag--orange",
    S.COMPLETED: "nhsuk-tag--green",
    S.CANCELLED: "nhsuk-tag--grey",
}

TIMELINE_WORDS: dict[str, str] = {
    S.SENT: "Referral sent",
    S.ACCEPTED: "Accepted by the service",
    S.DECLINED: "Declined by the service",
    S.ATTENDED: "The resident attended",
    S.DID_NOT_ATTEND: "The resident did not attend",
    S.COMPLETED: "Completed",
    S.CANCELLED: "Cancelled by the referrer",
}


@dataclass(frozen=True)
class StatusTag:
    label: str
    colour: str


def status_tag(referral: Referral) -> StatusTag:
    return StatusTag(
        label=referral.get_status_display(), colour=STATUS_TAG_COLOURS.get(referral.status, "")
    )


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    when: object
    by: str
    reason: str


def timeline(changes: list[ReferralStatusChange], *, show_people: bool) -> list[TimelineEntry]:
    """The referral's history, oldest first; names of staff only where the viewer may see them."""
    return [
        TimelineEntry(
            title=TIMELINE_WORDS.get(change.status, change.get_status_display()),
            when=change.changed_at,
            by=(str(change.changed_by) if change.changed_by and show_people else ""),
            reason=change.reason,
        )
        for change in changes
    ]


_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def qr_code_svg(url: str, *, label: str) -> SafeString:
    """An inline SVG QR code for a URL: paths only, no style attributes (strict CSP)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = _XML_PROLOGUE.sub("", buffer.getvalue().decode("utf-8"))
    svg = re.sub(r"\s(width|height)=\"[^\"]*mm\"", "", svg, count=2)
    svg = svg.replace(' id="qr-path"', "")
    svg = svg.replace(
        "<svg ",
        f'<svg class="referrals-qr-code" role="img" aria-label="{escape(label)}" '
        'focusable="false" ',
        1,
    )
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703  # qrcode markup; the label is escaped


def short_code(service_pk: int) -> str:
    """A short, stable code for a service's share link (base 36 of its id)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    number, code = service_pk, ""
    while True:
        number, remainder = divmod(number, 36)
        code = digits[remainder] + code
        if number == 0:
            return code


def service_pk_from_short_code(code: str) -> int | None:
    try:
        return int(code, 36)
    except ValueError:
        return None
