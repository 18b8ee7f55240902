"""BoundEncryptedSerializer: an encrypted value or write copied onto another row, by SQL
on the tables, fails to load with RowBindingError; where it was written, it loads."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
from psycopg_pool import ConnectionPool

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    BoundEncryptedSerializer,
    PostgresCheckpointer,
    RowBindingError,
)

from _helpers import config_for, put_values

KEY = b"0123456789abcdef"


def bound_saver(pool: ConnectionPool, **options: Any) -> PostgresCheckpointer:
    return PostgresCheckpointer(pool, serde=BoundEncryptedSerializer.from_pycryptodome_aes(key=KEY, **options))


def copy_blob(pool: ConnectionPool, source: dict[str, str], target: dict[str, str]) -> None:
    """UPDATE the bytes of one stored value with another's, as someone with table access could."""
    with pool.connection() as conn:
        updated = conn.execute(
            """UPDATE langgraph.checkpoint_blobs AS t SET blob = s.blob, type = s.type
               FROM langgraph.checkpoint_blobs AS s
               WHERE s.thread_id = %(s_thread)s AND s.channel = %(s_channel)s AND s.version = %(s_version)s
                 AND t.thread_id = %(t_thread)s AND t.channel = %(t_channel)s AND t.version = %(t_version)s""",
            {
                "s_thread": source["thread"], "s_channel": source["channel"], "s_version": source["version"],
                "t_thread": target["thread"], "t_channel": target["channel"], "t_version": target["version"],
            },
        ).rowcount
    assert updated == 1


def stored(saver: PostgresCheckpointer, config: dict[str, Any], channel: str) -> dict[str, str]:
    saved = saver.get_tuple(config)
    assert saved is not None
    return {
        "thread": config["configurable"]["thread_id"],
        "channel": channel,
        "version": saved.checkpoint["channel_versions"][channel],
    }


def test_values_round_trip_bound(pool: ConnectionPool, thread_id: str) -> None:
    saver = bound_saver(pool)
    config = put_values(saver, config_for(thread_id), a={"x": [1, 2]}, b="text")
    saved = saver.get_tuple(config)
    assert saved is not None and saved.checkpoint["channel_values"] == {"a": {"x": [1, 2]}, "b": "text"}
    with pool.connection() as conn:
        types = conn.execute(
            "SELECT array_agg(type ORDER BY channel) FROM langgraph.checkpoint_blobs WHERE thread_id = %s",
            (thread_id,),
        ).fetchone()[0]
    assert types == ["msgpack+aes+row", "msgpack+aes+row"]
    saver.put_writes(config, [("a", 1), ("b", {"k": 2})], "task-1")
    saved = saver.get_tuple(config)
    assert saved is not None and saved.pending_writes == [("task-1", "a", 1), ("task-1", "b", {"k": 2})]
    assert [t.checkpoint["channel_values"] for t in saver.list(config_for(thread_id))] == [
        {"a": {"x": [1, 2]}, "b": "text"}
    ]


def test_a_value_copied_onto_another_thread_fails(pool: ConnectionPool, thread_id: str) -> None:
    saver = bound_saver(pool)
    first = put_values(saver, config_for(thread_id + "-a"), a="secret of a")
    second = put_values(saver, config_for(thread_id + "-b"), a="secret of b")
    copy_blob(pool, stored(saver, first, "a"), stored(saver, second, "a"))
    with pytest.raises(RowBindingError, match="was written for row"):
        saver.get_tuple(second)
    with pytest.raises(RowBindingError):
        list(saver.list(config_for(thread_id + "-b")))
    saved = saver.get_tuple(first)
    assert saved is not None and saved.checkpoint["channel_values"] == {"a": "secret of a"}


def test_a_value_copied_onto_another_channel_or_version_fails(pool: ConnectionPool, thread_id: str) -> None:
    saver = bound_saver(pool)
    first = put_values(saver, config_for(thread_id), a="old a", b="b")
    older = stored(saver, first, "a")
    second = put_values(saver, first, a="new a")
    copy_blob(pool, older, stored(saver, second, "a"))  # an old value over a newer one
    with pytest.raises(RowBindingError):
        saver.get_tuple(second)
    copy_blob(pool, stored(saver, first, "b"), older)  # another channel's value
    with pytest.raises(RowBindingError):
        saver.get_tuple(first)


def test_a_write_copied_onto_another_task_or_checkpoint_fails(pool: ConnectionPool, thread_id: str) -> None:
    saver = bound_saver(pool)
    first = put_values(saver, config_for(thread_id), a=1)
    second = put_values(saver, first, a=2)
    saver.put_writes(first, [("a", "from task 1")], "task-1")
    saver.put_writes(first, [("a", "from task 2")], "task-2")
    saver.put_writes(second, [("a", "on the second")], "task-1")
    with pool.connection() as conn:
        conn.execute(
            """UPDATE langgraph.checkpoint_writes AS t SET blob = s.blob
               FROM langgraph.checkpoint_writes AS s
               WHERE s.thread_id = %(thread)s AND s.task_id = 'task-1' AND s.checkpoint_id = %(first)s
                 AND t.thread_id = %(thread)s AND t.task_id = 'task-2'""",
            {"thread": thread_id, "first": first["configurable"]["checkpoint_id"]},
        )
        conn.execute(
            """UPDATE langgraph.checkpoint_writes AS t SET blob = s.blob
               FROM langgraph.checkpoint_writes AS s
               WHERE s.thread_id = %(thread)s AND s.checkpoint_id = %(first)s AND s.task_id = 'task-1'
                 AND t.thread_id = %(thread)s AND t.checkpoint_id = %(second)s""",
            {
                "thread": thread_id,
                "first": first["configurable"]["checkpoint_id"],
                "second": second["configurable"]["checkpoint_id"],
            },
        )
    with pytest.raises(RowBindingError, match="task-1"):
        saver.get_tuple(first)
    with pytest.raises(RowBindingError):
        saver.get_tuple(second)


def test_altered_bytes_fail_to_authenticate(pool: ConnectionPool, thread_id: str) -> None:
    saver = bound_saver(pool)
    config = put_values(saver, config_for(thread_id), a="value")
    with pool.connection() as conn:
        conn.execute(
            "UPDATE langgraph.checkpoint_blobs SET blob = set_byte(blob, 40, get_byte(blob, 40) # 1)"
            " WHERE thread_id = %s",
            (thread_id,),
        )
    with pytest.raises(RowBindingError, match="does not authenticate"):
        saver.get_tuple(config)


def test_unbound_rows_still_load_unless_required(pool: ConnectionPool, thread_id: str) -> None:
    plain = PostgresCheckpointer(pool, serde=EncryptedSerializer.from_pycryptodome_aes(key=KEY))
    config = put_values(plain, config_for(thread_id), a="written before binding")
    saved = bound_saver(pool).get_tuple(config)
    assert saved is not None and saved.checkpoint["channel_values"] == {"a": "written before binding"}
    with pytest.raises(RowBindingError, match="not bound"):
        bound_saver(pool, require_bound=True).get_tuple(config)


def test_copy_thread_needs_bind_thread_false(pool: ConnectionPool, thread_id: str) -> None:
    saver = bound_saver(pool)
    put_values(saver, config_for(thread_id), a="copied")
    saver.copy_thread(thread_id, thread_id + "-copy")
    with pytest.raises(RowBindingError):
        saver.get_tuple(config_for(thread_id + "-copy"))

    loose = bound_saver(pool, bind_thread=False)
    put_values(loose, config_for(thread_id + "-2"), a="copied")
    loose.copy_thread(thread_id + "-2", thread_id + "-2-copy")
    saved = loose.get_tuple(config_for(thread_id + "-2-copy"))
    assert saved is not None and saved.checkpoint["channel_values"] == {"a": "copied"}


async def test_async_saver_binds_too(async_pool: Any, thread_id: str) -> None:
    saver = AsyncPostgresCheckpointer(
        async_pool, serde=BoundEncryptedSerializer.from_pycryptodome_aes(key=KEY)
    )
    from langgraph.checkpoint.base import empty_checkpoint

    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"a": "async"}
    checkpoint["channel_versions"] = {"a": saver.get_next_version(None)}
    config = await saver.aput(config_for(thread_id), checkpoint, {}, checkpoint["channel_versions"])
    await saver.aput_writes(config, [("a", "w")], "task-1")
    saved = await saver.aget_tuple(config)
    assert saved is not None
    assert saved.checkpoint["channel_values"] == {"a": "async"}
    assert saved.pending_writes == [("task-1", "a", "w")]


async def test_async_list_raises_when_a_row_fails_to_load(async_pool: Any, pool: ConnectionPool, thread_id: str) -> None:
    """A row that fails to load mid-stream ends alist() with the error (it once waited
    for ever on the connection's lock), and the connection goes back usable."""
    saver = AsyncPostgresCheckpointer(
        async_pool, serde=BoundEncryptedSerializer.from_pycryptodome_aes(key=KEY)
    )
    first = put_values(bound_saver(pool), config_for(thread_id + "-a"), a="a")
    second = put_values(bound_saver(pool), config_for(thread_id + "-b"), a="b")
    copy_blob(pool, stored(bound_saver(pool), first, "a"), stored(bound_saver(pool), second, "a"))
    with pytest.raises(RowBindingError):
        async for _ in saver.alist(config_for(thread_id + "-b")):
            pass
    saved = await saver.aget_tuple(first)
    assert saved is not None and saved.checkpoint["channel_values"] == {"a": "a"}
