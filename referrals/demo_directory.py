"""Synthetic services across the five boroughs and every topic (filled in by the directory work)."""


def seed() -> None:
    return None
