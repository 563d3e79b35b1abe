"""Display logic for directory pages: opening hours, distances, ages, costs, freshness."""

from __future__ import annotations

import datetime
from typing import Any

from referrals.models import Schedule, Service

DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ROUTE_TAGS = {
    Service.ReferralRoute.PROFESSIONAL_REFERRAL: ("Referral through the portal", "nhsuk-tag--blue"),
    Service.ReferralRoute.SELF_REFERRAL: ("Self-referral", "nhsuk-tag--green"),
    Service.ReferralRoute.SIGNPOST_ONLY: ("Signpost only", "nhsuk-tag--grey"),
}


def clock(value: datetime.time | None) -> str:
    """9am, 5:30pm, midday."""
    if value is None:
        return ""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def opening_hours(schedule: Schedule) -> str:
    days = [DAY_NAMES.get(code.strip().upper(), code) for code in schedule.byday.split(",") if code]
    when = ", ".join(days) if days else "Every day"
    if schedule.opens_at and schedule.closes_at:
        return f"{when}: {clock(schedule.opens_at)} to {clock(schedule.closes_at)}"
    return when


def distance(metres: float | None) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return "less than 1 km away"
    return f"{metres / 1000:.1f} km away"


def ages(service: Service) -> str:
    youngest, oldest = service.minimum_age, service.maximum_age
    if youngest is None and oldest is None:
        return "All ages"
    if oldest is None:
        return f"Aged {youngest} and over"
    if youngest is None:
        return f"Aged {oldest} and under"
    return f"Aged {youngest} to {oldest}"


def cost(service: Service) -> str:
    if service.is_free:
        return "Free"
    return service.fees_description or "There is a charge"


def route_tag(service: Service) -> dict[str, str]:
    label, colour = ROUTE_TAGS.get(
        Service.ReferralRoute(service.referral_route), (service.get_referral_route_display(), "")
    )
    return {"label": label, "colour": colour}


def listing_summary(service: Service) -> dict[str, Any]:
    """The facts a listing page shows, worded for people."""
    return {
        "ages": ages(service),
        "cost": cost(service),
        "route": route_tag(service),
        "hours": [opening_hours(schedule) for schedule in service.schedules.all()],
    }
