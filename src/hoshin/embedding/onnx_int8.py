"""An int8 build of the packaged MiniLM graph, made on this machine from the fp32 export (no download).

Plain dynamic quantisation (`onnxruntime.quantization.quantize_dynamic`, one scale per weight matrix)
embeds about twice as fast on the CPU but moves the vectors too far (cosine to the fp32 vector:
median 0.966 on 4,235 realistic texts). What is done here instead, measured on the same texts
(bench/README.md, "int8 model"):

1. **One scale per output channel** of each weight matrix (`per_channel=True`); only MatMuls with a
   weight are quantised (the embedding table's Gather stays fp32): median 0.994.
2. **Smoothing** (SmoothQuant, Xiao et al. 2022) of the matrices that read the 384-wide hidden state
   (query, key, value, attention output, the feed-forward's first layer): a few channels of that
   state carry values far larger than the rest, and one scale for the whole activation spends its
   256 steps on them. Each input channel j is divided by s_j = a_j^0.7 / w_j^0.3 (a_j: its largest
   absolute value over the packaged background corpus, w_j: the largest weight in row j) and row j of
   the weights multiplied by it, which leaves the fp32 product unchanged and evens out the ranges
   before rounding: median 0.996. The feed-forward's second layer (1,536 GELU outputs in) is left
   unsmoothed: smoothing it measured worse.
3. **The three most sensitive matrices stay fp32**: the feed-forward's second layer in transformer
   layers 0-2 (rounded alone, each moved the vectors 2-4 times as much as any other matrix).
   Median cosine 0.9985, 5th percentile 0.998, smallest 0.996; 1.75 x the texts per CPU second of fp32.

Activations are still rounded on each batch's own range, so a text's vector depends a little on
the texts batched with it (cosine about 0.9985 alone against in a batch).

The result is checked like the fp32 export: unless the int8 graph's vectors are close to the fp32
graph's on the background corpus (median cosine at least `MIN_MEDIAN_COSINE`), the file is not kept.
It is written beside the fp32 export under a temporary name and renamed, so it appears only complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from hoshin.errors import EmbeddingError

__all__ = ["INT8_FORMAT", "MIN_MEDIAN_COSINE", "SMOOTH_ALPHA", "quantise_minilm", "stored_background"]

#: Bumped when the quantisation recipe changes: an older int8 file (and its vectors) is not reused.
INT8_FORMAT = 2
#: How much of each channel's range is moved from the activation into the weights (0: none, 1: all).
SMOOTH_ALPHA = 0.7
#: The feed-forward's second layer of this many first transformer layers stays fp32: they move the
#: vectors most when rounded (each about 2-4 times as much as any other matrix).
FP32_FFN_OUT_LAYERS = 3
#: The int8 graph is kept only when its vectors are at least this close to fp32's (median cosine).
MIN_MEDIAN_COSINE = 0.995


def quantise_minilm(fp32_graph: Path, source: Path, target: Path) -> None:
    """Write the int8 build of `fp32_graph` (the checked fp32 export) to `target`, checked."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    from hoshin.data.corpora import background_texts

    texts = background_texts()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoshin-int8-", dir=target.parent) as folder:
        prepared, smoothed = Path(folder) / "prepared.onnx", Path(folder) / "smoothed.onnx"
        # Constant folding and shape inference first, as onnxruntime recommends before quantising.
        quant_pre_process(str(fp32_graph), str(prepared), skip_symbolic_shape=True)
        model = onnx.load(str(prepared))
        _smooth(model, _channel_maxima(model, source, texts))
        onnx.save(model, str(smoothed))
        handle, temporary = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
        os.close(handle)
        try:
            quantize_dynamic(
                str(smoothed),
                temporary,
                weight_type=QuantType.QInt8,
                per_channel=True,
                op_types_to_quantize=["MatMul"],
                nodes_to_exclude=_kept_fp32(model),
            )
            background = _check_close(fp32_graph, Path(temporary), source, texts)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
            _keep_background(target, texts, background)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


def _weighted_matmuls(model) -> list:
    """The MatMuls that read the hidden state through a weight matrix (hidden x something)."""
    weights = {i.name: i for i in model.graph.initializer}
    found = []
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            continue
        shape = tuple(weights[node.input[1]].dims)
        if len(shape) != 2:
            continue
        found.append((node, shape))
    if not found:
        return []
    # The hidden width is the most common input width (384 for MiniLM-L6; the feed-forward's
    # second layer reads 1,536 and is left unsmoothed).
    widths = [shape[0] for _, shape in found]
    hidden = max(set(widths), key=widths.count)
    return [node for node, shape in found if shape[0] == hidden]


def _kept_fp32(model) -> list[str]:
    """The first FP32_FFN_OUT_LAYERS feed-forward second layers (the weight MatMuls that read a
    width other than the hidden one), in graph order."""
    weights = {i.name: tuple(i.dims) for i in model.graph.initializer}
    smoothed = {node.name for node in _weighted_matmuls(model)}
    wide = [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul" and len(weights.get(node.input[1], ())) == 2 and node.name not in smoothed
    ]
    return wide[:FP32_FFN_OUT_LAYERS]


def _channel_maxima(model, source: Path, texts: list[str]) -> dict[str, np.ndarray]:
    """Largest absolute value of every input channel of the smoothed MatMuls over `texts`."""
    import onnxruntime
    from onnx import TensorProto, helper

    from hoshin.embedding.minilm_onnx import Tokens

    names = sorted({node.input[0] for node in _weighted_matmuls(model)})
    probe = model.__class__()
    probe.CopyFrom(model)
    for name in names:
        probe.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        probe.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    tokens = Tokens(source)
    maxima: dict[str, np.ndarray] = {}
    ordered = sorted(texts, key=len)
    for start in range(0, len(ordered), 64):
        feeds, mask = tokens.feeds(ordered[start : start + 64])
        outputs = session.run(names, feeds)
        real = mask.astype(bool)
        for name, values in zip(names, outputs):
            top = np.abs(values[real]).max(axis=0)
            maxima[name] = np.maximum(maxima[name], top) if name in maxima else top
    return maxima


def _smooth(model, maxima: dict[str, np.ndarray]) -> None:
    """Divide each smoothed MatMul's input channels by s and multiply its weight rows by s."""
    from onnx import helper, numpy_helper

    weights = {i.name: i for i in model.graph.initializer}
    for node in _weighted_matmuls(model):
        w = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        a = np.maximum(maxima[node.input[0]], 1e-5)
        row_max = np.maximum(np.abs(w).max(axis=1), 1e-5)
        scale = np.clip(a**SMOOTH_ALPHA / row_max ** (1 - SMOOTH_ALPHA), 1e-2, 1e2).astype(np.float32)
        weights[node.input[1]].CopyFrom(numpy_helper.from_array(w * scale[:, None], node.input[1]))
        inverse = f"{node.name}/smooth_inverse"
        smoothed = f"{node.name}/smoothed_input"
        model.graph.initializer.append(numpy_helper.from_array((1.0 / scale).astype(np.float32), inverse))
        nodes = list(model.graph.node)
        model.graph.node.insert(
            nodes.index(node),
            helper.make_node("Mul", [node.input[0], inverse], [smoothed], name=f"{node.name}/smooth"),
        )
        node.input[0] = smoothed


def _check_close(fp32_graph: Path, int8_graph: Path, source: Path, texts: list[str]) -> np.ndarray:
    """The int8 graph's vectors of `texts` (in their order), once they are shown close to fp32's.

    Batches as `Embedder.embed` makes them (64 texts of similar length), so the vectors are the
    ones the embedder itself would give."""
    from hoshin.embedding.minilm_onnx import OnnxSession

    reference, ours = OnnxSession(fp32_graph, source, None), OnnxSession(int8_graph, source, None)
    order = np.argsort([len(text) for text in texts], kind="stable")
    vectors = np.empty((len(texts), 384), dtype=np.float32)
    cosines = []
    for start in range(0, len(texts), 64):
        rows = order[start : start + 64]
        batch = [texts[i] for i in rows]
        mine = ours.embed(batch)
        vectors[rows] = mine
        cosines.append((reference.embed(batch) * mine).sum(axis=1))
    median = float(np.median(np.concatenate(cosines)))
    if not median >= MIN_MEDIAN_COSINE:
        raise EmbeddingError(
            f"the int8 build of the model is too far from it (median cosine {median:.4f}, "
            f"needed {MIN_MEDIAN_COSINE}); set HOSHIN_PRECISION=fp32"
        )
    return vectors


def _background_file(model_id: str) -> Path:
    from hoshin.config import model_dir

    slug = "".join(c if c.isalnum() or c in "-." else "_" for c in model_id)
    return model_dir() / f"background-{slug}.npz"


def _digest(texts: list[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]


def _keep_background(target: Path, texts: list[str], vectors: np.ndarray) -> None:
    """The background corpus's int8 vectors, computed by the check anyway, kept beside the model:
    a cold vector cache then need not embed its 1,235 texts again (about 2 s per fresh data folder)."""
    from hoshin.embedding.minilm_onnx import _int8_model_id

    model_id = _int8_model_id()
    path = _background_file(model_id)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    os.close(handle)
    try:
        with open(temporary, "wb") as out:
            np.savez(out, model_id=model_id, digest=_digest(texts), vectors=vectors)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def stored_background(model_id: str, digest: str) -> np.ndarray | None:
    """The background vectors the int8 build kept for `model_id`, if they are of this corpus."""
    if "+int8q" not in model_id:
        return None
    path = _background_file(model_id)
    if not path.is_file():
        return None
    try:
        with np.load(path) as data:
            if str(data["model_id"]) != model_id or str(data["digest"]) != digest:
                return None
            return np.asarray(data["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError):
        return None
