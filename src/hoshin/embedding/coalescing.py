"""One model call for many concurrent requests.

A web server embeds one short text per request (an idea as it arrives). For a transformer on a CPU
most of a one-text call is fixed cost, so fifty requests arriving together cost nearly fifty times
what one call over fifty texts costs. `CoalescingEmbedder` lets the first caller run the model
while the others queue; when the model is free again, the next caller in line takes every queued
text into one call and hands each caller its own rows. Nobody waits on a timer: a lone request goes
straight through, and batches form only while the model is busy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from hoshin.embedding.base import Embedder

__all__ = ["CoalescingEmbedder"]


@dataclass(eq=False)
class _Request:
    texts: list[str]
    vectors: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = field(default=False)


class CoalescingEmbedder(Embedder):
    """Wraps a backend so that concurrent `embed_batch` calls share model calls.

    `max_texts` caps how many texts one merged call takes (a caller's own texts are never split).
    Same vectors as the backend alone: rows are only gathered and handed back.
    """

    def __init__(self, inner: Embedder, max_texts: int = 256) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimensions = inner.dimensions
        self.batch_size = max(inner.batch_size, 1)
        self.max_texts = max_texts
        self.calls = 0  # model calls made (for benchmarks and tests)
        self._waiting: list[_Request] = []
        self._busy = False
        self._changed = threading.Condition()

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        request = _Request(list(texts))
        with self._changed:
            self._waiting.append(request)
        while True:
            with self._changed:
                while not request.done and self._busy:
                    self._changed.wait()
                if request.done:
                    return self._result(request)
                self._busy = True  # this caller runs the model for everyone queued so far
                batch = self._take()
            try:
                self._run(batch)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _take(self) -> list[_Request]:
        """The queued requests, oldest first, up to `max_texts` texts (at least one request)."""
        batch: list[_Request] = []
        size = 0
        while self._waiting:
            nxt = self._waiting[0]
            if batch and size + len(nxt.texts) > self.max_texts:
                break
            batch.append(self._waiting.pop(0))
            size += len(nxt.texts)
        return batch

    def _run(self, batch: list[_Request]) -> None:
        texts = [t for request in batch for t in request.texts]
        try:
            vectors = np.asarray(self.inner.embed(texts), dtype=np.float32)
            self.calls += 1
        except BaseException as exc:  # every caller in the batch sees the backend's own error
            for request in batch:
                request.error, request.done = exc, True
            return
        start = 0
        for request in batch:
            request.vectors = vectors[start : start + len(request.texts)]
            request.done = True
            start += len(request.texts)

    @staticmethod
    def _result(request: _Request) -> np.ndarray:
        if request.error is not None:
            raise request.error
        assert request.vectors is not None
        return request.vectors
