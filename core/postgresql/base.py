"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection's socket shows nothing has happened to it.

With `CONN_HEALTH_CHECKS`, Django checks a kept connection before the first query of each
request by sending `SELECT 1` and waiting for the answer: on the conversation POST a round
trip of its four, with a wake-up of the waiting thread and a turn at the interpreter lock on
either side of it (docs/performance.md, ninth round). What the check is for is a connection
the server has ended since it was last used (idle timeout, `pg_terminate_backend`, restart):
the server's goodbye (an error message, then end-of-file) is then already waiting on the
socket. So the socket is asked first, without blocking: if nothing is waiting to be read
the connection is as the last statement left it, and it is used; if anything is (the end,
an error, or a notice or notification the server sent meanwhile), Django's own `SELECT 1`
decides, as before. This is how the MySQL driver for Go checks a pooled connection before
reuse (a non-blocking read of its socket).

What it shares with `SELECT 1`: a server that ends the connection after the check and
before the statement still fails that statement. What neither catches quickly: a network
path that dies without a word; TCP keepalives and the statement timeout cover that.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base
from psycopg import pq

_QUIET = {pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS}


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if _socket_is_quiet(self.connection.pgconn):
            return True
        return bool(super().is_usable())


def _socket_is_quiet(pgconn: Any) -> bool:
    """Whether libpq holds the connection as good and between statements (idle, or idle in
    a transaction) and nothing has arrived on its socket since."""
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status not in _QUIET:
        return False
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)  # readable, hung up or in error: ask the server
    except (OSError, ValueError):  # no socket any more
        return False
