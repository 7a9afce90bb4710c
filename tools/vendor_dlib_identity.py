"""Rebuild ``src/genguard/detectors/faces/identity_model/dlib-resnet-v1.onnx`` from dlib's model.

dlib's 128-d face descriptor (``dlib_face_recognition_resnet_model_v1.dat``, public domain, in
the ``face_recognition_models`` wheel) runs in dlib-bin without BLAS: ~73 ms a face on a 2-core
VM, holding the GIL. This script reads dlib's serialized network and writes the same network as ONNX, which
onnxruntime runs in a few milliseconds with the GIL released:

1. parse the ``.dat`` file: dlib's serialization (``dlib/serialize.h``: compact integers, strings
   as a compact length and bytes, scalars as ``float_details`` mantissa and exponent, ``bool`` as
   the character ``'0'`` or ``'1'``; ``dlib/cuda/tensor.h``: tensors, version 2, as raw
   little-endian float32) for the network that ``tools/python/src/face_recognition.cpp``
   declares (``anet_type``: ``loss_metric<fc_no_bias<128, avg_pool_everything<...ResNet...>>>``,
   ``input_rgb_image_sized<150>``). ``add_layer`` writes its version, then its whole subnetwork,
   then its own layer (``dlib/dnn/core.h``), so the file holds the wrappers from the output down
   and the layers from the input up; tags and skips are a version number each. Every field is
   checked against the declared network (filter counts, sizes, strides, padding) and the file
   must end where the network does;
2. rebuild the graph: ``(pixel - mean) / 256`` per channel (``dlib/dnn/input.h``); each ``con``
   (cross-correlation, dlib's padding default: ``size / 2`` at stride 1, 0 otherwise) followed by
   its ``affine`` with the per-channel scale and shift folded into the filters and bias; ``relu``;
   ``max_pool`` 3x3/2 and ``avg_pool`` 2x2/2 without padding (dlib clips windows to the image,
   which with no padding and these sizes never happens); ``add_prev`` adding two tensors that
   differ in channels or size by zero-padding the smaller one at the end of each dimension
   (``dlib/cuda/cpu_dlib.cpp``, ``add``: the downsampling blocks add 64 channels to a 32-channel
   skip, and a 3-px block output to a 4-px average-pooled skip); ``avg_pool_everything`` as a global average; ``fc_no_bias`` as a matrix product
   (weights stored inputs x outputs). ``loss_metric`` outputs the fc values as they are, so the
   descriptor is not normalised here either;
3. check the ONNX model against dlib itself (``compute_face_descriptor`` on a 150-px chip) on
   random chips: the largest difference must stay under ``TOLERANCE``.

Input ``chips``: ``N x 150 x 150 x 3`` uint8 RGB chips as ``dlib.get_face_chip(rgb, shape, 150,
0.25)`` cuts them; output ``descriptors``: ``N x 128`` float32.

It needs ``onnx`` (genguard's ``train`` extra), not needed at run time:

    .venv/bin/python -m pip install onnx==1.23.2
    .venv/bin/python tools/vendor_dlib_identity.py

then check that ``sha256sum`` of the output matches ``SHA256SUMS`` (byte-stable for a given onnx
version). An explicit path to the ``.dat`` file may be given as the only argument.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlib
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parents[1]
MODEL_DIR = REPO / "src/genguard/detectors/faces/identity_model"
OUT = MODEL_DIR / "dlib-resnet-v1.onnx"
SOURCE = "models/dlib_face_recognition_resnet_model_v1.dat"
#: face_recognition_models 0.3.0's model file, as listed in the wheel's RECORD.
SOURCE_SHA256 = "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"
CHIP = 150
OPSET = 17
#: Largest difference allowed between dlib's descriptor and the ONNX model's on any value.
TOLERANCE = 1e-4


# ---------------------------------------------------------------------------------------------
# dlib's serialization


class Reader:
    """A cursor over dlib's serialized bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ValueError(f"unexpected end of file at byte {self.pos}")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def integer(self) -> int:
        """A compact integer: a control byte (size in the low 4 bits, 0x80 = negative), then
        that many bytes, little-endian."""
        control = self._take(1)[0]
        size = control & 0x0F
        if size == 0 or size > 8 or control & 0x70:
            raise ValueError(f"bad integer control byte {control:#x} at byte {self.pos - 1}")
        value = int.from_bytes(self._take(size), "little")
        return -value if control & 0x80 else value

    def version(self, expected: int | tuple[int, ...]) -> int:
        allowed = (expected,) if isinstance(expected, int) else expected
        value = self.integer()
        if value not in allowed:
            raise ValueError(f"version {value} at byte {self.pos}, expected {allowed}")
        return value

    def string(self) -> str:
        return self._take(self.integer()).decode("ascii")

    def tag(self, *allowed: str) -> str:
        value = self.string()
        if value not in allowed:
            raise ValueError(f"found {value!r} at byte {self.pos}, expected one of {allowed}")
        return value

    def scalar(self) -> float:
        """``float_details``: an int64 mantissa and an int16 exponent (value = m * 2**e); the old
        ASCII format starts with a byte that has one of the bits 0x70 set."""
        if self.data[self.pos] & 0x70:
            raise ValueError(f"ASCII-format float at byte {self.pos}: not supported")
        mantissa, exponent = self.integer(), self.integer()
        special = {32000: float("inf"), 32001: float("-inf"), 32002: float("nan")}
        if exponent in special:
            return special[exponent]
        return float(np.ldexp(np.float64(mantissa), exponent))

    def flag(self) -> bool:
        value = self._take(1)
        if value not in (b"0", b"1"):
            raise ValueError(f"bad bool {value!r} at byte {self.pos - 1}")
        return value == b"1"

    def tensor(self) -> np.ndarray:
        """A ``resizable_tensor``: version 2, num_samples, k, nr, nc, then raw float32 LE."""
        self.version(2)
        shape = tuple(self.integer() for _ in range(4))
        count = int(np.prod(shape))
        return np.frombuffer(self._take(4 * count), dtype="<f4").reshape(shape).astype(np.float32)

    def alias_tensor(self) -> tuple[int, ...]:
        self.version(1)
        return tuple(self.integer() for _ in range(4))


# ---------------------------------------------------------------------------------------------
# The network face_recognition.cpp declares, from the input up


@dataclass
class Con:
    filters: int
    size: int
    stride: int
    weights: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))
    bias: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))

    @property
    def padding(self) -> int:
        return 0 if self.stride != 1 else self.size // 2  # con_'s template default


@dataclass
class Affine:
    gamma: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))
    beta: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))


@dataclass
class Relu:
    pass


@dataclass
class Pool:
    kind: str  # "max" or "avg"
    size: int  # 0: the whole input (avg_pool_everything)
    stride: int


@dataclass
class Tag:
    id: int


@dataclass
class Skip:
    id: int


@dataclass
class AddPrev:
    id: int


@dataclass
class Fc:
    outputs: int
    weights: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))


Layer = Con | Affine | Relu | Pool | Tag | Skip | AddPrev | Fc


def _block(n: int, stride: int) -> list[Layer]:
    # block<N,BN,stride,SUBNET> = BN<con<N,3,3,1,1,relu<BN<con<N,3,3,stride,stride,SUBNET>>>>>
    return [Con(n, 3, stride), Affine(), Relu(), Con(n, 3, 1), Affine()]


def _ares(n: int) -> list[Layer]:
    # relu<add_prev1<block<N,affine,1,tag1<SUBNET>>>>
    return [Tag(1), *_block(n, 1), AddPrev(1), Relu()]


def _ares_down(n: int) -> list[Layer]:
    # relu<add_prev2<avg_pool<2,2,2,2,skip1<tag2<block<N,affine,2,tag1<SUBNET>>>>>>>
    return [Tag(1), *_block(n, 2), Tag(2), Skip(1), Pool("avg", 2, 2), AddPrev(2), Relu()]


def network() -> list[Layer]:
    """``anet_type`` below its loss layer, input side first."""
    layers: list[Layer] = [Con(32, 7, 2), Affine(), Relu(), Pool("max", 3, 2)]
    layers += [layer for _ in range(3) for layer in _ares(32)]  # alevel4
    for n, plain in ((64, 3), (128, 2), (256, 2), (256, 0)):  # alevel3 .. alevel0
        layers += _ares_down(n)
        layers += [layer for _ in range(plain) for layer in _ares(n)]
    return [*layers, Pool("avg", 0, 1), Fc(128)]


def parse(data: bytes) -> tuple[np.ndarray, list[Layer]]:
    """The input layer's channel means and the network's layers with their weights."""
    layers = network()
    r = Reader(data)
    r.version(1)  # add_loss_layer: version, loss details, then the network
    if r.tag("loss_metric_", "loss_metric_2") == "loss_metric_2":
        r.scalar(), r.scalar()  # margin, distance threshold: training only
    # Wrappers from the output down: add_layer writes its version before its subnetwork.
    versions: dict[int, int] = {}
    for index in reversed(range(1, len(layers))):
        versions[index] = r.version(1) if isinstance(layers[index], Tag | Skip) else r.version((1, 2))
    versions[0] = r.version((2, 3))  # add_layer<con, input_rgb_image_sized<150>>
    r.tag("input_rgb_image_sized")
    means = np.array([r.scalar() for _ in range(3)], dtype=np.float32)
    if (r.integer(), r.integer()) != (CHIP, CHIP):
        raise ValueError("the input layer is not 150 x 150")
    # Layers from the input up, each followed by add_layer's own fields.
    for index, layer in enumerate(layers):
        if isinstance(layer, Tag | Skip):
            continue
        _read_layer(r, layer)
        for _ in range(3):  # this_layer_setup_called, gradient_input_is_stale, ..._disabled
            r.flag()
        r.tensor(), r.tensor()  # x_grad, cached_output
        if index == 0:
            r.tensor()  # grad_final
            if versions[0] == 3:
                r.integer()  # _sample_expansion_factor
        elif versions[index] == 2:
            r.tensor()  # params_grad
    if r.pos != len(data):
        raise ValueError(f"{len(data) - r.pos} bytes left after the network")
    return means, layers


def _read_layer(r: Reader, layer: Layer) -> None:
    if isinstance(layer, Con):
        version = r.tag("con_4", "con_5", "con_6")
        params = r.tensor().ravel()
        found = (r.integer(), r.integer(), r.integer(), r.integer(), r.integer(), r.integer(), r.integer())
        expected = (layer.filters, layer.size, layer.size, layer.stride, layer.stride, layer.padding, layer.padding)
        if found != expected:
            raise ValueError(f"con: found {found}, expected {expected}")
        filters = r.alias_tensor()
        biases = r.alias_tensor()
        for _ in range(4):  # learning-rate and weight-decay multipliers
            r.scalar()
        use_bias = r.flag() if version in ("con_5", "con_6") else True
        if version == "con_6":
            r.flag()  # use_relu: set only by fuse_layers, never in a saved training net
        size = int(np.prod(filters))
        layer.weights = params[:size].reshape(filters)
        layer.bias = params[size : size + layer.filters] if use_bias else np.zeros(layer.filters, np.float32)
        if use_bias and biases[1] != layer.filters or params.size != size + (layer.filters if use_bias else 0):
            raise ValueError("con: parameter count does not match the filters")
    elif isinstance(layer, Affine):
        version = r.tag("affine_", "affine_2")
        params = r.tensor().ravel()
        gamma, beta = r.alias_tensor(), r.alias_tensor()
        if r.integer() != 0:  # layer_mode: CONV_MODE (one scale and shift per channel)
            raise ValueError("affine: not in CONV_MODE")
        if version == "affine_2" and r.flag():
            raise ValueError("affine: disabled")
        count = int(np.prod(gamma))
        if gamma != beta or gamma[1] != count or params.size != 2 * count:
            raise ValueError("affine: unexpected parameter shapes")
        layer.gamma, layer.beta = params[:count], params[count:]
    elif isinstance(layer, Relu):
        if r.tag("relu_", "relu_2") == "relu_2" and r.flag():
            raise ValueError("relu: disabled")
    elif isinstance(layer, Pool):
        r.tag(f"{layer.kind}_pool_2")
        padding = 0 if layer.stride != 1 else layer.size // 2
        window = tuple(r.integer() for _ in range(6))
        wanted = (layer.size, layer.size, layer.stride, layer.stride, padding, padding)
        if window != wanted:
            raise ValueError(f"{layer.kind}_pool: found {window}, expected {wanted}")
    elif isinstance(layer, AddPrev):
        r.tag("add_prev_")
    elif isinstance(layer, Fc):
        version = r.tag("fc_2", "fc_3")
        outputs, inputs = r.integer(), r.integer()
        params = r.tensor()
        weights, _ = r.alias_tensor(), r.alias_tensor()
        if r.integer() != 1:  # fc_bias_mode: FC_NO_BIAS
            raise ValueError("fc: has a bias")
        for _ in range(4):
            r.scalar()
        if version == "fc_3":
            r.flag()  # use_bias, irrelevant without a bias mode
        if outputs != layer.outputs or weights[:2] != (inputs, outputs) or params.size != inputs * outputs:
            raise ValueError("fc: unexpected shapes")
        layer.weights = params.reshape(inputs, outputs)


# ---------------------------------------------------------------------------------------------
# ONNX


class Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initialisers: list[onnx.TensorProto] = []
        self.count = 0

    def name(self, stem: str) -> str:
        self.count += 1
        return f"{stem}_{self.count}"

    def const(self, stem: str, value: np.ndarray) -> str:
        name = self.name(stem)
        self.initialisers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], **attributes: Any) -> str:
        output = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def _out_size(size: int, window: int, stride: int, padding: int) -> int:
    return 1 + (size + 2 * padding - window) // stride


def build(means: np.ndarray, layers: list[Layer]) -> onnx.ModelProto:
    g = Graph()
    x = g.node("Cast", ["chips"], to=TensorProto.FLOAT)
    x = g.node("Transpose", [x], perm=[0, 3, 1, 2])
    x = g.node("Sub", [x, g.const("mean", means.reshape(1, 3, 1, 1))])
    x = g.node("Mul", [x, g.const("scale", np.array(1 / 256, dtype=np.float32))])
    channels, side = 3, CHIP  # the shape of x, to pad add_prev's inputs
    tags: dict[int, tuple[str, int, int]] = {}
    pending: Con | None = None
    for layer in layers:
        if pending is not None and not isinstance(layer, Affine):
            raise ValueError("every con is followed by an affine in this network")
        if isinstance(layer, Con):
            pending = layer
        elif isinstance(layer, Affine):
            assert pending is not None
            gamma = layer.gamma.astype(np.float64)
            weights = (pending.weights.astype(np.float64) * gamma[:, None, None, None]).astype(np.float32)
            bias = (pending.bias.astype(np.float64) * gamma + layer.beta).astype(np.float32)
            pad = pending.padding
            x = g.node(
                "Conv", [x, g.const("w", weights), g.const("b", bias)],
                kernel_shape=[pending.size] * 2, strides=[pending.stride] * 2, pads=[pad] * 4,
            )
            channels, side = pending.filters, _out_size(side, pending.size, pending.stride, pad)
            pending = None
        elif isinstance(layer, Relu):
            x = g.node("Relu", [x])
        elif isinstance(layer, Pool) and layer.size == 0:
            x = g.node("GlobalAveragePool", [x])
            side = 1
        elif isinstance(layer, Pool):
            op = "MaxPool" if layer.kind == "max" else "AveragePool"
            x = g.node(op, [x], kernel_shape=[layer.size] * 2, strides=[layer.stride] * 2)
            side = _out_size(side, layer.size, layer.stride, 0)
        elif isinstance(layer, Tag):
            tags[layer.id] = (x, channels, side)
        elif isinstance(layer, Skip):
            x, channels, side = tags[layer.id]
        elif isinstance(layer, AddPrev):
            other, other_channels, other_side = tags[layer.id]
            to_channels, to_side = max(channels, other_channels), max(side, other_side)
            x = _padded(g, x, channels, side, to_channels, to_side)
            other = _padded(g, other, other_channels, other_side, to_channels, to_side)
            x = g.node("Add", [x, other])
            channels, side = to_channels, to_side
        elif isinstance(layer, Fc):
            x = g.node("Flatten", [x], axis=1)
            x = g.node("MatMul", [x, g.const("fc", layer.weights)])
    g.nodes[-1].output[0] = "descriptors"
    graph = helper.make_graph(
        g.nodes, "dlib_face_recognition_resnet_model_v1",
        [helper.make_tensor_value_info("chips", TensorProto.UINT8, ["N", CHIP, CHIP, 3])],
        [helper.make_tensor_value_info("descriptors", TensorProto.FLOAT, ["N", 128])],
        g.initialisers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="genguard tools/vendor_dlib_identity.py"
    )
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def _padded(g: Graph, x: str, channels: int, side: int, to_channels: int, to_side: int) -> str:
    """``x`` zero-padded at the end of the channel and both spatial axes, as dlib's ``add``."""
    if (channels, side) == (to_channels, to_side):
        return x
    extra = [0, 0, 0, 0, 0, to_channels - channels, to_side - side, to_side - side]
    return g.node("Pad", [x, g.const("pads", np.array(extra, dtype=np.int64))])


def check(model: onnx.ModelProto, source: Path) -> float:
    """Largest difference from dlib's own descriptor on random chips (fails over TOLERANCE)."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    net = dlib.face_recognition_model_v1(str(source))
    rng = np.random.default_rng(0)
    chips = rng.integers(0, 256, size=(4, CHIP, CHIP, 3), dtype=np.uint8)
    chips[2] = np.sort(chips[2], axis=0)  # a smooth one as well as noise
    chips[3] = 128
    (ours,) = session.run(["descriptors"], {"chips": chips})
    theirs = np.array([np.asarray(net.compute_face_descriptor(chip)) for chip in chips])
    worst = float(np.abs(ours - theirs).max())
    if worst > TOLERANCE:
        sys.exit(f"the ONNX model differs from dlib by {worst:.2e} (> {TOLERANCE})")
    return worst


def _source() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    from genguard.detectors.runtime import package_file

    return package_file("face_recognition_models", SOURCE)


def main() -> None:
    source = _source()
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != SOURCE_SHA256:
        sys.exit(f"{source} is not the expected file (sha256 differs)")
    means, layers = parse(data)
    model = build(means, layers)
    worst = check(model, source)
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(model.SerializeToString())
    print(f"largest difference from dlib on random chips: {worst:.2e}", file=sys.stderr)
    print(f"{hashlib.sha256(OUT.read_bytes()).hexdigest()}  {OUT.name}")


if __name__ == "__main__":
    main()
