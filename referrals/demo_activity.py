"""Synthetic conversations, signposts and referrals (filled in by the conversations work)."""


def seed() -> None:
    return None
