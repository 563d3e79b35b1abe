"""Template filters over training.presenters (display logic lives there)."""

from __future__ import annotations

from django import template

from training import presenters

register = template.Library()
register.filter("money", presenters.money)
register.filter("pounds", presenters.pounds)
register.filter("course_cost", presenters.course_cost)
register.filter("duration", presenters.duration)
register.filter("availability", presenters.session_availability)
register.filter("places_left", presenters.places_left)
register.filter("booking_tag", presenters.booking_tag)
