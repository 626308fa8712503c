"""Inserting many rows of one model from plain tuples (``executemany`` in batches).

``bulk_create`` builds a model instance per row and prepares every value through its field:
for the hundreds of thousands of rows of a snapshot, a population table or a 10,000-area run
that costs several times more than the database. Use this only for rows that need no signals
(``audit_log = False``; the load or run itself is audited) and whose values are already what
the database takes (plain ``str``/``int``/``float``/``bool``/``date``/``None``; a JSON field's
value prepared with ``field.get_db_prep_save``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model

BATCH_SIZE = 5000


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: Sequence[tuple], batch_size: int = BATCH_SIZE
) -> None:
    """Insert ``rows`` (one value per column, in the order of ``columns``: database column
    names such as ``upload_id``) into ``model``'s table."""
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
