"""Files the training app hands out: calendar invites (.ics) and PDF certificates."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF
from icalendar import Calendar, Event

from training.models import Completion, Session

ICS_MIMETYPE = "text/calendar"
PDF_MIMETYPE = "application/pdf"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def session_location(session: Session) -> str:
    if session.course.delivery_mode == session.course.Mode.FACE_TO_FACE:
        return ", ".join(part for part in (session.venue_name, session.venue_address) if part)
    return session.joining_url or "Online"


def session_ics(session: Session, *, cancelled: bool = False) -> str:
    """An iCalendar file with one event for the session (METHOD:CANCEL once cancelled)."""
    calendar = Calendar()
    calendar.add("prodid", "-//MECC Portal//Training//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"training-session-{session.pk}@mecc-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.course.title)
    event.add("location", session_location(session))
    page = absolute_url(reverse("training:session_detail", args=[session.pk]))
    event.add("description", f"{session.course.programme.name} training. Details: {page}")
    event.add("url", page)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def session_ics_filename(session: Session) -> str:
    return f"training-session-{session.pk}.ics"


def _latin1(text: str) -> str:
    """The PDF core fonts are Latin-1: keep accented letters, fold others to their base."""
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        kept = "".join(c for c in folded if not unicodedata.combining(c))
        return kept.encode("latin-1", "replace").decode("latin-1")


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def certificate_pdf(completion: Completion) -> bytes:
    """An A4 landscape certificate naming the learner, course, dates and verification link."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate {completion.certificate_number}")
    pdf.set_author("MECC Portal")
    pdf.add_page()
    pdf.set_draw_color(0, 94, 184)
    pdf.set_line_width(2)
    pdf.rect(10, 10, 277, 190)
    width = 257
    pdf.set_xy(20, 30)
    pdf.set_font("Helvetica", "B", 28)
    pdf.set_text_color(0, 94, 184)
    pdf.cell(width, 14, "Certificate of completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(33, 43, 50)
    pdf.set_font("Helvetica", "", 14)
    pdf.set_x(20)
    pdf.cell(width, 16, "This is to certify that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 24)
    pdf.set_x(20)
    learner = _latin1(completion.learner.get_full_name())
    pdf.cell(width, 14, learner, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.set_x(20)
    pdf.cell(width, 14, "has completed", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 18)
    pdf.set_x(20)
    pdf.multi_cell(width, 10, _latin1(completion.course.title), align="C")
    pdf.set_font("Helvetica", "", 13)
    pdf.set_x(20)
    lines = [
        f"{completion.course.programme.name}, completed on {_long_date(completion.completed_on)}",
        f"Certificate number: {completion.certificate_number}",
        "Valid until: "
        + (_long_date(completion.expires_on) if completion.expires_on else "does not expire"),
    ]
    pdf.ln(6)
    for line in lines:
        pdf.set_x(20)
        pdf.cell(width, 9, _latin1(line), align="C", new_x="LMARGIN", new_y="NEXT")
    verify = absolute_url(reverse("certificate_verify", args=[completion.verification_code]))
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(20, 180)
    pdf.cell(width, 6, f"Check this certificate at {verify}", align="C")
    return bytes(pdf.output())


def certificate_filename(completion: Completion) -> str:
    return f"certificate-{completion.certificate_number}.pdf"
