"""Thin function views: access check, form, service, redirect."""
