"""Evaluation forms (validation only); one module per area."""
