"""Synthetic evaluation data for the demo (runs after training and referrals seed theirs)."""

from __future__ import annotations

from evaluation.demo_dashboards import seed_dashboards
from evaluation.demo_returns import seed_returns_and_resources
from evaluation.demo_surveys import seed_surveys


def seed() -> list[tuple[str, str, str]]:
    seed_returns_and_resources()
    seed_surveys()
    seed_dashboards()  # last: rebuilds the rollups from everyone's demo data
    return []
