"""Shared settings of the property tests (test_properties_*.py).

CI runs a modest number of examples per property, so the whole set stays well under a
minute; ``LANGGRAPH_FULL_PROPERTIES=1`` runs a few hundred per property.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

FULL = os.environ.get("LANGGRAPH_FULL_PROPERTIES", "") not in ("", "0")


def examples(ci: int, full: int = 300) -> Any:
    """Hypothesis settings: ``ci`` examples normally, ``full`` with the flag set."""
    return settings(
        max_examples=full if FULL else ci,
        deadline=None,
        derandomize=not FULL,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        database=None,
    )


# Which rows every table of the schema holds, at the cost of reading no values:
# a row's (ctid, xmin) changes with every insert, update or delete of it.
SNAPSHOT_SQL = """
SELECT string_agg(format('SELECT %%L, count(*), coalesce(sum(hashtext(ctid::text || xmin::text)), 0) FROM %%I.%%I',
                         c.relname, n.nspname, c.relname), ' UNION ALL ' ORDER BY c.relname)
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')"""


def snapshot(conn: Any, schema: str = "langgraph") -> list[tuple[Any, ...]]:
    """Row counts and a checksum of row versions per table of ``schema``."""
    query = conn.execute(SNAPSHOT_SQL, (schema,)).fetchone()[0]
    # UNION ALL promises no order (a parallel append interleaves): sort.
    return sorted(conn.execute(query).fetchall())
