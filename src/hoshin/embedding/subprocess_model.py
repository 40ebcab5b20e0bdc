"""The model in a process of its own, so a busy server's threads do not slow it down.

A transformer on the CPU spends part of every call in Python (the module calls between torch
kernels). In a web server that Python competes for the interpreter lock with dozens of request
threads, and a call that takes 25 ms alone takes several times that. `ProcessEmbedder` runs the
backend in a child process with its own interpreter: the server's threads only wait on a pipe.
Combine it with `CoalescingEmbedder` (one call in flight, the others queued into the next one).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection

import numpy as np

from hoshin.embedding.base import Embedder
from hoshin.errors import EmbeddingError

__all__ = ["ProcessEmbedder"]


def _serve(connection: Connection, make: Callable[[], Embedder]) -> None:
    """The child: build the backend, then answer ("embed", texts) until the pipe closes."""
    from hoshin.threads import limit_blas_threads

    limit_blas_threads()
    backend = make()
    connection.send(("ready", backend.model_id, backend.dimensions))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", backend.embed_batch(list(request))))
        except Exception as exc:  # the parent raises it as its own error, with the backend's words
            connection.send(("error", f"{type(exc).__name__}: {exc}"))


class ProcessEmbedder(Embedder):
    """`make()` (a picklable, module-level factory such as `create_embedder`, which reads
    HOSHIN_EMBEDDER in the child) builds the backend in a child process.

    Calls are served one at a time in call order; the child ends with this object or the parent.
    """

    def __init__(self, make: Callable[[], Embedder], start_timeout_s: float = 300.0) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that has torch threads
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, make), daemon=True, name="hoshin-model")
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        if not self._connection.poll(start_timeout_s):
            self.close()
            raise EmbeddingError(f"the embedding process did not start within {start_timeout_s:.0f} s")
        try:
            status, self.model_id, self.dimensions = self._connection.recv()
        except EOFError:
            self.close()
            raise EmbeddingError("the embedding process ended while starting (see its error above)") from None
        assert status == "ready"

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            try:
                self._connection.send(list(texts))
                status, payload = self._connection.recv()
            except (EOFError, OSError, BrokenPipeError) as exc:
                raise EmbeddingError(f"the embedding process is gone ({exc}); restart the server") from None
        if status == "error":
            raise EmbeddingError(f"the embedding process failed: {payload}")
        return np.asarray(payload, dtype=np.float32)

    def close(self) -> None:
        self._connection.close()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()

    def __del__(self) -> None:  # pragma: no cover - best effort at interpreter exit
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass
