"""Embedding backends behind one interface, `Embedder.embed_batch(texts) -> unit vectors`."""

from __future__ import annotations

from hoshin.embedding.base import Embedder, ProgressFn, content_hash, normalise_rows
from hoshin.embedding.cache import CachedEmbedder, MemoryVectorCache, SqliteVectorCache, VectorCache
from hoshin.embedding.hashing import HashingEmbedder

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "HashingEmbedder",
    "MemoryVectorCache",
    "ProgressFn",
    "SqliteVectorCache",
    "VectorCache",
    "content_hash",
    "create_embedder",
    "minilm_precision",
    "normalise_rows",
]

BACKENDS = ("minilm", "hashing")
RUNTIMES = ("auto", "onnx", "torch")
PRECISIONS = ("auto", "fp32", "int8")
#: What HOSHIN_PRECISION=auto means for onnxruntime on the CPU (bench/README.md, "int8 model").
DEFAULT_CPU_PRECISION = "fp32"


def create_embedder(backend: str | None = None) -> Embedder:
    """The backend named by `backend` or HOSHIN_EMBEDDER (default: the packaged MiniLM model)."""
    from hoshin.config import settings
    from hoshin.errors import ConfigError

    name = backend.lower() if backend else settings.embedder
    if name == "minilm":
        return _minilm()
    if name == "hashing":
        return HashingEmbedder()
    raise ConfigError(f"unknown embedding backend {name!r}; choose one of: {', '.join(BACKENDS)}")


def minilm_runtime() -> str:
    """Which runtime runs the packaged model: HOSHIN_RUNTIME, where `auto` (the default) means
    torch when the model is to run on a GPU and onnxruntime on the CPU (same vectors, less overhead)."""
    wanted = _runtime_setting()
    if wanted != "auto":
        return wanted
    from hoshin.embedding.minilm import device_without_torch
    from hoshin.embedding.minilm_onnx import onnx_available

    device = device_without_torch()
    if device == "cpu" and onnx_available():
        return "onnx"
    return "torch"


def _runtime_setting() -> str:
    """HOSHIN_RUNTIME as given (default auto), checked."""
    from hoshin.config import settings

    return settings.runtime


def minilm_precision() -> str:
    """HOSHIN_PRECISION: `fp32`, `int8` (onnxruntime only) or `auto` (the default): int8 where the
    model runs through onnxruntime on the CPU and DEFAULT_CPU_PRECISION says so, fp32 otherwise."""
    from hoshin.config import settings
    from hoshin.errors import ConfigError

    wanted = settings.precision
    runtime = minilm_runtime()
    if wanted == "auto":
        return DEFAULT_CPU_PRECISION if runtime == "onnx" else "fp32"
    if wanted == "int8" and runtime != "onnx":
        raise ConfigError("HOSHIN_PRECISION=int8 needs onnxruntime (HOSHIN_RUNTIME=auto or onnx, on the CPU)")
    return wanted


def _minilm() -> Embedder:
    if minilm_runtime() == "onnx":
        from hoshin.embedding.minilm_onnx import OnnxMiniLMEmbedder

        return OnnxMiniLMEmbedder(fallback=_runtime_setting() == "auto", precision=minilm_precision())
    from hoshin.embedding.minilm import MiniLMEmbedder

    return MiniLMEmbedder()
