"""Signing cost of an allowed output: ``python -m bench provenance [--runs N]``.

A 1024-px output (the adult portrait resized, as JPEG q92 and as PNG) is signed with a fresh
development chain (ES256), each step timed on its own in the same run:

* ``sign_output`` with the claim made from the screen's verdict (``OutputClaim.from_verdict``,
  as a gateway signs): the PDQ comes from the verdict, the bytes are only sniffed and checked
  complete; then the manifest is built, embedded and signed (ES256, no thumbnail);
* ``sign_output`` from a bare claim: the same plus decoding the image under the media limits and
  its PDQ for the soft binding; for an edit also the parent decoded, hashed and embedded as an
  ingredient;
* its parts: decode + PDQ alone, and the library's embed + sign alone (``c2pa_api.sign_asset``);
* ``read_provenance``: the full validation an upload gets (signature, chain, hard binding);
* baseline: screening the same image as an ``output`` through ``Guard`` (real models, a SQLite
  store with banks, lineage and the likeness registry, the audit record written), so the table says what signing adds to the path an output already takes.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
PORTRAIT = REPO.parent / "shared" / "data" / "images" / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"


def _image(fmt: str) -> bytes:
    with Image.open(PORTRAIT) as im:
        rgb = im.convert("RGB")
    ratio = 1024 / max(rgb.size)
    rgb = rgb.resize((round(rgb.width * ratio), round(rgb.height * ratio)), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    rgb.save(buf, fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    return buf.getvalue()


def _timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    console = Console()

    from genguard.config import Settings
    from genguard.detectors.hashes import pdq
    from genguard.guard import Guard
    from genguard.media.decode import decode_image
    from genguard.provenance import ManifestSigner, OutputClaim, ParentImage, c2pa_api, read_provenance, sign_output
    from genguard.provenance.devcert import make_dev_chain
    from genguard.store.db import open_store

    chain = make_dev_chain()
    signer = ManifestSigner(chain.chain_pem, chain.key_pem)
    manifest = {"claim_generator_info": [{"name": "bench"}], "title": "bench", "assertions": [
        {"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType":
         "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]}}]}
    rows: list[tuple[str, str, list[float]]] = []
    home = tempfile.TemporaryDirectory()
    settings = Settings(database_url=f"sqlite:///{home.name}/bench.db", home=Path(home.name))
    with home, Guard(settings, store=open_store(settings.resolved_database_url())) as guard:
        guard.load()
        for fmt, mime in (("JPEG", "image/jpeg"), ("PNG", "image/png")):
            data = _image(fmt)
            claim = OutputClaim(verdict_id="bench", policy=guard.pack.label, generator="bench")
            edit = claim.model_copy(update={"parents": [ParentImage(data=_image("JPEG"), mime="image/jpeg")]})
            signed = sign_output(data, mime, claim, signer)
            label = f"{fmt} {len(data) // 1024} KiB"
            screened = guard.screen(kind="output", output=data)
            from_screen = OutputClaim.from_verdict(screened, generator="bench")
            rows += [
                (label, "baseline: Guard output screen (real models)",
                 _timed(lambda: guard.screen(kind="output", output=data), args.runs)),
                (label, "sign_output (claim from the verdict)",
                 _timed(lambda: sign_output(data, mime, from_screen, signer), args.runs)),
                (label, "sign_output (generated)", _timed(lambda: sign_output(data, mime, claim, signer), args.runs)),
                (label, "sign_output (edit, 1 parent)", _timed(lambda: sign_output(data, mime, edit, signer), args.runs)),
                (label, "  of which decode + PDQ", _timed(lambda: pdq(decode_image(data).rgb), args.runs)),
                (label, "  of which C2PA embed + ES256",
                 _timed(lambda: c2pa_api.sign_asset(manifest, data, mime, signer, []), args.runs)),
                (label, "read_provenance (validate)",
                 _timed(lambda: read_provenance(signed, trust_anchors=chain.root_pem), args.runs)),
            ]
            console.print(f"{label}: manifest adds {len(signed) - len(data)} bytes")
    table = Table(title=f"Signing a 1024-px output ({c2pa_api.library_version()}, {args.runs} runs)")
    for column in ("image", "step", "p50 ms", "p95 ms", "p50 / screen p50"):
        table.add_column(column, justify="left" if column in ("image", "step") else "right")
    baseline = {label: float(np.percentile(t, 50)) for label, step, t in rows if step.startswith("baseline")}
    for label, step, times in rows:
        p50 = float(np.percentile(times, 50))
        table.add_row(label, step, f"{p50:.1f}", f"{np.percentile(times, 95):.1f}", f"{p50 / baseline[label]:.2f}")
    console.print(table)


if __name__ == "__main__":
    main()
