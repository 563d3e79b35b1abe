"""`make bench`: build PostgreSQL databases of generated data, serve them with gunicorn on
loopback, measure every performance target in one run and write one JSON document.

Not a test suite: `make test` never runs it. See docs/performance.md.
"""
