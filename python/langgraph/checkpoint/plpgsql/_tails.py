"""Appended tails: send a list channel as what it gained since a version the server has.

LangGraph stores a channel's whole value at every version, so a chat's ``messages``
list is serialized, sent and parsed in full on every step, and a put costs O(length of
the conversation). Most list channels only ever grow at the end (``add_messages``,
``operator.add``), so this client remembers, per (thread, namespace, channel), the
versions it last wrote or read (``VERSIONS_PER_CHANNEL``) and the elements each held.
When the next value starts with exactly the elements of one of them, only the new ones
are encoded and sent, with that version as their base (``put_checkpoint_v2``); the
server stores the tail as a delta without reading the base. Reads name every held
version, and get only what none of them has.

When it is safe to say "starts with exactly those elements" without encoding them:

* each remembered element is the very same object (``is``) at the same position, and
* every remembered element is immutable (``str``, ``int``, ``float``, ``bool``,
  ``None``, ``bytes``) or a LangChain message, which LangGraph never changes in place:
  ``add_messages`` replaces a message by building a new list with a new object.

Anything else is a doubt, and a doubt sends the whole value: a replaced, removed or
reordered element, a list of dicts or other mutable objects, a value that did not
grow, a channel this process has not seen (another process wrote it), an entry evicted
from the bounded cache, a base the server no longer has (LG009: retention or a prune
removed it; the saver forgets the thread and sends the whole value in a second call).
A message mutated in place after it was saved (``msg.content = ...`` on an object
already in the state) is the one change this cannot see; LangGraph's contract is that
nodes return updates rather than mutate state, and ``delta_writes=False`` turns tails
off for code that breaks it.

Versions never repeat with different contents: ``get_next_version`` adds a random
tiebreak to every version, so a remembered (thread, namespace, channel, version) names
one value for as long as the server has it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from operator import is_
from typing import Any

from langchain_core.messages import BaseMessage

# (thread_id, checkpoint_ns, channel)
Key = tuple[str, str, str]
# What the cache holds of one version of a channel: the version and the elements of its value.
Held = tuple[str, tuple[Any, ...]]
# The versions of one channel held at once, newest first: a reader that goes back and
# forth between checkpoints (the latest and one by id, a state history) holds each of
# them, and the server sends none of them again. Most entries share their elements with
# the newest: a version's tuple is references into the same list objects.
VERSIONS_PER_CHANNEL = 4

_IMMUTABLE = frozenset({str, int, float, bool, type(None), bytes})


def _unchangeable(item: Any) -> bool:
    return type(item) in _IMMUTABLE or isinstance(item, BaseMessage)


def all_unchangeable(items: Iterable[Any]) -> bool:
    """Whether every element is one this module trusts not to change in place."""
    return all(map(_unchangeable, items))


class TailCache:
    """Bounded, thread-safe memory of the last stored versions of list channels.

    Entries are grouped by (thread, namespace), the unit reads ask about, and
    ``maxsize`` bounds the number of groups, least recently used first out. A channel's
    entry holds its ``VERSIONS_PER_CHANNEL`` most recently written or read versions,
    each as strong references to the elements of one list, shared with the state
    LangGraph holds.
    """

    __slots__ = ("maxsize", "_threads", "_lock")

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._threads: OrderedDict[tuple[str, str], dict[str, tuple[Held, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(channels) for channels in self._threads.values())

    def held(self, thread_id: str, checkpoint_ns: str) -> dict[str, tuple[Held, ...]]:
        """A snapshot of what is held for a thread and namespace: channel -> its held
        (version, items), newest first."""
        group = (thread_id, checkpoint_ns)
        with self._lock:
            channels = self._threads.get(group)
            if channels is None:
                return {}
            self._threads.move_to_end(group)
            return dict(channels)

    def base_for(self, key: Key, value: list[Any]) -> tuple[str, int] | None:
        """``(base_version, start)`` if ``value`` is the remembered value of ``key``
        followed by new elements ``value[start:]``, else ``None``."""
        with self._lock:
            channels = self._threads.get(key[:2])
            entry = channels.get(key[2], ()) if channels is not None else ()
        for version, items in entry:
            start = len(items)
            if len(value) > start and all(map(is_, items, value)):
                return version, start
        return None

    def remember(self, key: Key, version: str, value: list[Any], *, known_prefix: int = 0) -> None:
        """Record that the server stores ``value`` at ``version`` for ``key``, as the
        channel's newest held version (the oldest beyond ``VERSIONS_PER_CHANNEL`` is
        dropped).

        The first ``known_prefix`` elements were checked by ``remember`` before (they
        are the base of a tail); only the rest are checked here. A value that cannot be
        trusted drops every version held of the channel.
        """
        if not all_unchangeable(value[known_prefix:] if known_prefix else value):
            self.forget(key)
            return
        items = tuple(value)
        group = key[:2]
        with self._lock:
            channels = self._threads.get(group)
            if channels is None:
                channels = self._threads[group] = {}
            older = tuple(held for held in channels.get(key[2], ()) if held[0] != version)
            channels[key[2]] = ((version, items), *older[: VERSIONS_PER_CHANNEL - 1])
            self._threads.move_to_end(group)
            while len(self._threads) > self.maxsize:
                self._threads.popitem(last=False)

    def forget(self, key: Key) -> None:
        with self._lock:
            channels = self._threads.get(key[:2])
            if channels is not None:
                channels.pop(key[2], None)

    def forget_threads(self, thread_ids: Iterable[str]) -> None:
        """Drop every entry of these threads (they were deleted, pruned or refused a base)."""
        doomed = set(thread_ids)
        with self._lock:
            for group in [group for group in self._threads if group[0] in doomed]:
                del self._threads[group]

    def clear(self) -> None:
        with self._lock:
            self._threads.clear()
