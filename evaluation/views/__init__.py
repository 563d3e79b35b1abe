"""Evaluation views (thin: access check, form, service, redirect); one module per area."""
