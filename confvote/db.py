"""Fixed SQL statements on the hottest paths (casting a vote, finding the signed-in user), run with
the least overhead each database allows. Everything else uses the ORM.

On PostgreSQL the statements are prepared once per connection: planning the vote's lock and ballot
statements cost more than running them, and the ORM's user query cost four times a prepared one
(measured: docs/voting.md, "The write path"). Django's psycopg cursors bind parameters client-side
and never prepare, so these cursors bind server-side and ask psycopg to prepare — unless
DATABASE_PREPARED_STATEMENTS=false (settings), for poolers that cannot keep prepared statements.
Statements run together are sent in one pipeline: one round trip, each statement still starting
after the one before it has finished (so a read placed after a lock sees what the lock waited for).
Errors are Django's (IntegrityError, OperationalError), as from any cursor.
"""

from __future__ import annotations

import psycopg
from django.db import connection


class _PostgresStatements:
    vote_function = True  # the database has ballots_vote_write (apps/ballots/migrations/0010)

    def __init__(self, *, prepare: bool) -> None:
        connection.ensure_connection()
        self._connection = connection.connection
        self._prepare = prepare
        self._cursor_class = psycopg.Cursor if prepare else psycopg.ClientCursor

    def run(self, *statements: tuple[str, object]) -> list[list[tuple]]:
        """Runs (sql, params) pairs in order; gives each one's rows ([] for a statement with none)."""
        with connection.wrap_database_errors:
            cursors = [self._cursor_class(self._connection) for _ in statements]
            try:
                if len(statements) > 1:
                    with self._connection.pipeline():
                        for cursor, (sql, params) in zip(cursors, statements, strict=True):
                            cursor.execute(sql, params, prepare=self._prepare)
                else:
                    cursors[0].execute(*statements[0], prepare=self._prepare)
                # pgresult's status, not cursor.description: that builds a Column object per column.
                return [cursor.fetchall() if _has_rows(cursor) else [] for cursor in cursors]
            finally:
                for cursor in cursors:
                    cursor.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def _has_rows(cursor: psycopg.Cursor) -> bool:
    result = cursor.pgresult
    return result is not None and result.status == psycopg.pq.ExecStatus.TUPLES_OK


class _DjangoStatements:
    """Any other database (SQLite for `make run` and the quick tests): one statement at a time."""

    vote_function = False

    def __init__(self) -> None:
        self._cursor = connection.cursor()

    def run(self, *statements: tuple[str, object]) -> list[list[tuple]]:
        results = []
        for sql, params in statements:
            self._cursor.execute(sql, params)
            results.append(self._cursor.fetchall() if self._cursor.description else [])
        return results

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._cursor.close()


def statements() -> _PostgresStatements | _DjangoStatements:
    """`with statements() as db: rows, = db.run((sql, params))` — SQL written with %(name)s or %s
    placeholders, which both PostgreSQL (psycopg) and SQLite (Django's cursor) understand."""
    if connection.vendor == "postgresql":
        return _PostgresStatements(prepare=bool(connection.settings_dict["OPTIONS"].get("prepare_threshold")))
    return _DjangoStatements()
