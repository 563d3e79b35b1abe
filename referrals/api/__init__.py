"""api of the referrals app, one module per area (directory; conversations and referrals)."""
