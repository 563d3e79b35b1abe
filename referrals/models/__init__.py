"""Referrals models, split by area of the app (directory; conversations and referrals)."""

from referrals.models.directory import Service, Topic

__all__ = ["Service", "Topic"]
