"""How far a run has got, counted document by document by whoever cleans them (a worker process, or this one):
the count lives in shared memory, so a progress bar moves with every document rather than with every batch."""

from __future__ import annotations

import threading
from typing import Any

from cleaner.batch.pool import pool_context

__all__ = ["Meter", "TaskMeter"]


class Meter:
    """Documents taken up so far (each is counted as its cleaning starts), and the bytes of input they account
    for."""

    def __init__(self) -> None:
        context: Any = pool_context()
        self._docs = context.Value("q", 0)
        self._bytes = context.Value("d", 0.0, lock=False)

    def tick(self, size: float) -> None:
        """One more document, of ``size`` bytes of input."""
        with self._docs.get_lock():
            self._docs.value += 1
            self._bytes.value += size

    def read(self) -> tuple[int, int]:
        """Documents and bytes so far."""
        with self._docs.get_lock():
            return int(self._docs.value), int(self._bytes.value)


class TaskMeter:
    """Documents and bytes of input done so far, counted task by task as the cluster finishes them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._docs = 0
        self._bytes = 0.0

    def add(self, docs: int, size: float) -> None:
        """A finished task of ``docs`` documents and ``size`` bytes of input."""
        with self._lock:
            self._docs += docs
            self._bytes += size

    def read(self) -> tuple[int, int]:
        """Documents and bytes so far."""
        with self._lock:
            return self._docs, int(self._bytes)
