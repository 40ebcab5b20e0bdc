"""The packaged model through onnxruntime: the same vectors as torch, chosen by HOSHIN_RUNTIME,
exported once and checked, and a damaged or mismatching export never used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hoshin.embedding import HashingEmbedder, create_embedder, minilm_runtime
from hoshin.embedding.minilm import MiniLMEmbedder
from hoshin.embedding.minilm_onnx import OnnxMiniLMEmbedder, exported_model_file
from hoshin.errors import ConfigError, EmbeddingError

TEXTS = [
    "Variable-speed brushless compressor motor",
    "Door seal rubber compound that keeps its elasticity for 15 years",
    "A new mayonnaise flavour with smoked paprika",
    "Behavioural detection of ransomware before files are encrypted",
    "Qualität, Zuverlässigkeit und Service – für Familien in ganz Europa",
    "x",
    "",
    "An idea that goes on for far too long. " * 80,  # past the model's 256-token limit
]


@pytest.mark.model
def test_onnx_gives_the_vectors_torch_gives() -> None:
    onnx = OnnxMiniLMEmbedder()
    torch = MiniLMEmbedder(device="cpu")
    ours, theirs = onnx.embed(TEXTS), torch.embed(TEXTS)
    assert onnx.runtime == "onnx"
    assert ours.shape == (len(TEXTS), 384)
    assert np.abs(ours - theirs).max() < 1e-4
    # One text alone gets the vector it gets among others (padding never leaks into the mean).
    assert np.abs(onnx.embed([TEXTS[0]])[0] - ours[0]).max() < 1e-5
    assert onnx.model_id == torch.model_id  # so caches and thresholds are shared


@pytest.mark.model
def test_the_export_is_made_once_and_reused() -> None:
    OnnxMiniLMEmbedder().embed(["warm"])
    graph = exported_model_file()
    stamp = graph.stat().st_mtime_ns
    OnnxMiniLMEmbedder().embed(["again"])
    assert graph.stat().st_mtime_ns == stamp


@pytest.mark.model
def test_a_damaged_export_is_made_again(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    graph = tmp_path / "model.onnx"
    graph.write_bytes(b"half a file")
    vectors = OnnxMiniLMEmbedder(graph=graph).embed(TEXTS[:2])
    assert np.abs(vectors - MiniLMEmbedder(device="cpu").embed(TEXTS[:2])).max() < 1e-4
    assert graph.stat().st_size > 1_000_000
    assert "exporting it again" in capfd.readouterr().err


@pytest.mark.model
def test_an_export_that_differs_from_the_model_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hoshin.embedding.onnx_export as export

    monkeypatch.setattr(export, "TOLERANCE", -1.0)  # no export can pass: it must then leave nothing
    graph = tmp_path / "model.onnx"
    with pytest.raises(EmbeddingError, match="differs from it.*HOSHIN_RUNTIME=torch"):
        OnnxMiniLMEmbedder(graph=graph).embed(["a text"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.model
def test_auto_falls_back_to_torch_when_no_export_can_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import hoshin.embedding.onnx_export as export

    monkeypatch.setattr(export, "TOLERANCE", -1.0)
    embedder = OnnxMiniLMEmbedder(graph=tmp_path / "model.onnx", fallback=True)
    vectors = embedder.embed(TEXTS[:2])
    assert embedder.runtime == "torch"
    assert np.abs(vectors - MiniLMEmbedder(device="cpu").embed(TEXTS[:2])).max() < 1e-5
    assert "embedding with torch instead" in capfd.readouterr().err


def test_the_runtime_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_DEVICE", "cpu")
    monkeypatch.delenv("HOSHIN_RUNTIME", raising=False)
    assert minilm_runtime() == "onnx"
    assert isinstance(create_embedder("minilm"), OnnxMiniLMEmbedder)
    monkeypatch.setenv("HOSHIN_RUNTIME", "torch")
    assert type(create_embedder("minilm")) is MiniLMEmbedder
    monkeypatch.setenv("HOSHIN_RUNTIME", "auto")
    monkeypatch.setenv("HOSHIN_DEVICE", "cuda")  # a GPU is torch's: onnxruntime here runs on the CPU only
    assert minilm_runtime() == "torch"


@pytest.mark.parametrize("bad", ["tensorflow", "ONNX-GPU", "1"])
def test_an_unknown_runtime_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("HOSHIN_RUNTIME", bad)
    with pytest.raises(ConfigError, match="HOSHIN_RUNTIME must be one of auto, onnx, torch"):
        create_embedder("minilm")


def test_batches_sorted_by_length_come_back_in_input_order() -> None:
    embedder = HashingEmbedder()
    embedder.batch_size = 3
    texts = [f"{'word ' * (17 - n)}number {n}" for n in range(17)]
    together = embedder.embed(texts)
    one_by_one = np.vstack([embedder.embed([t]) for t in texts])
    assert np.array_equal(together, one_by_one)
