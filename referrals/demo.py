"""Synthetic demo data for referrals: the directory, then 18 months of activity."""

from __future__ import annotations


def seed() -> list[tuple[str, str, str]]:
    from referrals import demo_activity, demo_directory

    demo_directory.seed()
    demo_activity.seed()
    return []
