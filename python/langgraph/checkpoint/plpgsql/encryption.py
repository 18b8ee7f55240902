"""Encrypted values bound to their row: a ciphertext copied elsewhere fails to load.

LangGraph's ``EncryptedSerializer`` encrypts each value on its own, so the bytes of one
row decrypt just as well in another: someone who can write the tables (but has no key)
can copy a thread's state into another thread, an old value over a newer one, one
task's write onto another task. ``BoundEncryptedSerializer`` closes that: the savers
hand it the key of the row a value is written to, and it encrypts that key together
with the value; loading compares it with the key of the row the bytes were read from
and raises ``RowBindingError`` on any difference. The cipher's own tag (EAX, the
default of ``from_pycryptodome_aes``, or any authenticated mode) makes the bound key
impossible to change without the encryption key, so the binding needs an
authenticated cipher; with an unauthenticated one it proves nothing.

What binds a value (the row's key, docs/reliability.md "Encrypted state"):

* a channel value: thread id, namespace, channel, version;
* a pending write: thread id, namespace, checkpoint id, task id, channel.

``get_delta_channel_history`` returns writes and seeds without their checkpoint or
version, so there the namespace, thread, channel and task are checked and the rest is
not. ``copy_thread`` and ``fork_thread`` copy rows to another thread id in SQL, so with
``bind_thread=True`` (the default) the copies do not load; pass ``bind_thread=False`` to
use them (a value then stays bound to its namespace, channel and version, whose random
tiebreak makes it unique across threads in practice, but a copy of a whole thread's rows
into another thread is no longer detected).

Ids, namespaces, channel names, versions and metadata stay plaintext: SQL finds, joins,
filters and deletes rows by them. Rows written by a plain ``EncryptedSerializer`` (type
``<type>+<cipher>``) still load, unbound, unless ``require_bound=True``.
"""

from __future__ import annotations

import json
from typing import Any

from langgraph.checkpoint.serde.base import CipherProtocol, SerializerProtocol
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from langgraph.checkpoint.plpgsql.errors import RowBindingError

# Type tag suffix of a bound ciphertext: "<type>+<cipher>+row". A plain
# EncryptedSerializer refuses it (it reads "<cipher>+row" as the cipher's name).
BOUND_SUFFIX = "+row"
_LENGTH_BYTES = 4

# What a row's key is made of, by kind of row; None stands for a part the reading
# path does not know (get_delta_channel_history) and is not compared.
RowKey = tuple[str | None, ...]


def value_key(thread_id: str | None, checkpoint_ns: str, channel: str, version: str | None) -> RowKey:
    return ("value", thread_id, checkpoint_ns, channel, version)


def write_key(
    thread_id: str | None, checkpoint_ns: str, checkpoint_id: str | None, task_id: str, channel: str
) -> RowKey:
    return ("write", thread_id, checkpoint_ns, checkpoint_id, task_id, channel)


class BoundEncryptedSerializer(EncryptedSerializer):
    """An ``EncryptedSerializer`` whose ciphertexts carry the key of their row.

    Use it like LangGraph's: ``PostgresCheckpointer(conn,
    serde=BoundEncryptedSerializer.from_pycryptodome_aes(key=...))``. The savers call
    ``dumps_bound`` / ``loads_bound`` with the row's key; ``dumps_typed`` /
    ``loads_typed`` (no row) behave as ``EncryptedSerializer``'s.
    """

    def __init__(
        self,
        cipher: CipherProtocol,
        serde: SerializerProtocol | None = None,
        *,
        bind_thread: bool = True,
        require_bound: bool = False,
    ) -> None:
        super().__init__(cipher, serde if serde is not None else JsonPlusSerializer())
        self.bind_thread = bind_thread
        self.require_bound = require_bound

    @classmethod
    def from_pycryptodome_aes(
        cls,
        serde: SerializerProtocol | None = None,
        *,
        bind_thread: bool = True,
        require_bound: bool = False,
        **kwargs: Any,
    ) -> BoundEncryptedSerializer:
        """AES (EAX mode unless ``mode=`` says otherwise), as LangGraph's constructor."""
        plain = EncryptedSerializer.from_pycryptodome_aes(**kwargs)
        return cls(plain.cipher, serde, bind_thread=bind_thread, require_bound=require_bound)

    def _key_bytes(self, key: RowKey) -> list[str | None]:
        parts = list(key)
        if not self.bind_thread:
            parts[1] = ""
        return parts

    def dumps_bound(self, obj: Any, key: RowKey) -> tuple[str, bytes]:
        """Serialize and encrypt ``obj`` together with the key of the row it goes to."""
        type_tag, data = self.serde.dumps_typed(obj)
        bound = json.dumps(self._key_bytes(key), ensure_ascii=False, separators=(",", ":")).encode()
        plaintext = len(bound).to_bytes(_LENGTH_BYTES, "big") + bound + data
        cipher_name, ciphertext = self.cipher.encrypt(plaintext)
        return f"{type_tag}+{cipher_name}{BOUND_SUFFIX}", ciphertext

    def loads_bound(self, data: tuple[str, bytes], key: RowKey) -> Any:
        """Decrypt and load a value read from the row ``key``; ``RowBindingError`` if
        it was written for another row or does not authenticate."""
        tag, ciphertext = data
        if not tag.endswith(BOUND_SUFFIX):
            if self.require_bound and "+" in tag:
                raise RowBindingError(
                    f"a value of type {tag!r} is not bound to its row",
                    hint="It was written by a plain EncryptedSerializer; require_bound=False reads it.",
                )
            return self.loads_typed(data)
        type_tag, cipher_name = tag[: -len(BOUND_SUFFIX)].split("+", 1)
        try:
            plaintext = self.cipher.decrypt(cipher_name, ciphertext)
        except Exception as exc:
            raise RowBindingError(
                f"a value of row {_describe(key)} does not authenticate ({type(exc).__name__})",
                hint="Its bytes were altered, or it was encrypted with another key.",
            ) from exc
        length = int.from_bytes(plaintext[:_LENGTH_BYTES], "big")
        stored = json.loads(plaintext[_LENGTH_BYTES : _LENGTH_BYTES + length])
        expected = self._key_bytes(key)
        if len(stored) != len(expected) or any(
            want is not None and have != want for have, want in zip(stored, expected, strict=True)
        ):
            raise RowBindingError(
                f"a value read from row {_describe(key)} was written for row {_describe(tuple(stored))}",
                hint=(
                    "Encrypted values were copied between rows outside the checkpointer. With "
                    "copy_thread or fork_thread, use BoundEncryptedSerializer(bind_thread=False)."
                ),
            )
        return self.serde.loads_typed((type_tag, plaintext[_LENGTH_BYTES + length :]))


def _describe(key: RowKey) -> str:
    return "(" + ", ".join("?" if part is None else repr(part) for part in key) + ")"
