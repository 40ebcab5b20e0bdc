"""The int8 build of the packaged model: made once from the fp32 export, close to it, kept apart from it
(own model id, own background vectors), chosen by HOSHIN_PRECISION."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.embedding import create_embedder, minilm_precision
from hoshin.embedding.minilm_onnx import OnnxMiniLMEmbedder, exported_model_file
from hoshin.errors import ConfigError

TEXTS = [
    "Variable-speed brushless compressor motor",
    "Door seal rubber compound that keeps its elasticity for 15 years",
    "A new mayonnaise flavour with smoked paprika",
    "Qualität, Zuverlässigkeit und Service – für Familien in ganz Europa",
    "",
    "An idea that goes on for far too long. " * 80,
]


@pytest.mark.model
def test_int8_is_close_to_fp32_and_has_its_own_model_id() -> None:
    int8, fp32 = OnnxMiniLMEmbedder(precision="int8"), OnnxMiniLMEmbedder()
    ours, theirs = int8.embed(TEXTS), fp32.embed(TEXTS)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.99, cosines
    assert np.abs(np.linalg.norm(ours, axis=1) - 1).max() < 1e-5
    assert int8.model_id != fp32.model_id  # the vector cache never mixes them
    assert exported_model_file("int8").is_file()
    # Each batch's activations are rounded on that batch's own range, so a text alone gets a vector
    # close to, not the same as, the one it gets among others.
    assert float(int8.embed([TEXTS[0]])[0] @ ours[0]) > 0.995


@pytest.mark.model
def test_int8_keeps_its_background_vectors() -> None:
    from hoshin.data.corpora import background_texts
    from hoshin.embedding.onnx_int8 import stored_background
    from hoshin.service.alignment import _digest

    embedder = OnnxMiniLMEmbedder(precision="int8")
    embedder.embed(["warm"])
    texts = background_texts()
    kept = stored_background(embedder.model_id, _digest(tuple(texts)))
    assert kept is not None and kept.shape == (len(texts), 384)
    again = embedder.embed(texts[:50])
    assert ((kept[:50] * again).sum(axis=1)).min() > 0.995
    assert stored_background(embedder.model_id, "another corpus") is None


def test_the_precision_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_RUNTIME", "onnx")
    monkeypatch.setenv("HOSHIN_PRECISION", "int8")
    assert minilm_precision() == "int8"
    assert create_embedder("minilm").precision == "int8"  # type: ignore[attr-defined]
    monkeypatch.setenv("HOSHIN_PRECISION", "fp32")
    assert create_embedder("minilm").precision == "fp32"  # type: ignore[attr-defined]
    monkeypatch.setenv("HOSHIN_PRECISION", "int4")
    with pytest.raises(ConfigError, match="HOSHIN_PRECISION"):
        minilm_precision()
    monkeypatch.setenv("HOSHIN_RUNTIME", "torch")
    monkeypatch.setenv("HOSHIN_PRECISION", "int8")
    with pytest.raises(ConfigError, match="onnxruntime"):
        minilm_precision()
