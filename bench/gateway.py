"""Images gateway overhead: ``python -m bench.gateway [--runs N]`` (or ``python -m bench gateway``).

The same OpenAI-style request sent, alternately in the same run, straight to a local images API
(``tests/gateway/upstream_server.py``: it checks the schema and answers with a fixed licensed
image at once, so it stands for an upstream whose generation time is zero) and through the
gateway in front of it. Both over real HTTP on loopback with httpx. What the gateway adds, all
of it in the figure: API-key check, screening the request (intent model; for an edit the
source's faces, ages, identity, nudity and hashes), forwarding, reading and decoding the
base64 answer, screening the output against the source (real models, audit record and lineage
in SQLite), signing the receipt and re-encoding the answer. A real generator takes seconds per
image, so the ratio here is the worst case; the added milliseconds are the figure to read. The
last column times the gateway's two ``Guard.screen`` calls in process, in the same run, so the
rest of the added time is the gateway's own (HTTP, base64, forwarding, receipts).
"""

from __future__ import annotations

import argparse
import base64
import io
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO.parent / "shared" / "data" / "images"
PORTRAIT = IMAGES / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"


def _jpeg_1024(path: Path, hat: bool = False) -> bytes:
    with Image.open(path) as im:
        rgb = im.convert("RGB")
    ratio = 1024 / max(rgb.size)
    rgb = rgb.resize((round(rgb.width * ratio), round(rgb.height * ratio)), Image.Resampling.LANCZOS)
    if hat:
        ImageDraw.Draw(rgb).rectangle((0, 0, rgb.width, rgb.height // 10), fill=(40, 30, 90))
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from genguard.auth.keys import create_key
    from genguard.vocabulary import Role
    from genguard.config import Settings
    from genguard.gateway import GatewayConfig, create_gateway
    from genguard.guard import Guard
    from genguard.receipts import ReceiptSigner
    from genguard.store.db import open_store
    from tests.conftest import serve
    from tests.gateway.upstream_server import API_KEY, FakeImagesAPI

    source = _jpeg_1024(PORTRAIT)
    edited = _jpeg_1024(PORTRAIT, hat=True)
    scene = _jpeg_1024(sorted((IMAGES / "scenes").glob("*"))[0])
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        store = open_store(settings.resolved_database_url())
        key = create_key(store, Role.SERVICE, "bench").secret
        guard = Guard(settings, store=store, signer=ReceiptSigner.from_settings(settings))
        guard.load()
        fake = FakeImagesAPI()
        with serve(fake.app()) as upstream_url:
            fake.base_url = upstream_url
            config = GatewayConfig(upstream_url=f"{upstream_url}/v1", upstream_api_key=API_KEY)
            with serve(create_gateway(config, settings, guard=guard)) as gateway_url:
                cases = [
                    ("generate", "/v1/images/generations", scene,
                     {"json": {"prompt": "a lighthouse at dusk, oil painting", "response_format": "b64_json"}}),
                    ("edit", "/v1/images/edits", edited,
                     {"data": {"prompt": "put a hat on her", "response_format": "b64_json"},
                      "files": [("image", ("portrait.jpg", source, "image/jpeg"))]}),
                ]
                rows = [_measure(name, path, output, body, fake, upstream_url, gateway_url, key, args.runs, guard)
                        for name, path, output, body in cases]
        guard.close()
        store.close()
    table = Table(title=f"images gateway overhead, 1024-px images, {args.runs} runs each (ms)")
    for column in ("request", "direct p50", "direct p95", "gateway p50", "gateway p95", "added p50", "ratio p50",
                   "of which Guard.screen p50"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*row)
    Console(width=160).print(table)


def _measure(name: str, path: str, output: bytes, body: dict, fake, upstream_url: str,  # noqa: ANN001
             gateway_url: str, key: str, runs: int, guard) -> list[str]:  # noqa: ANN001
    from genguard.request import ImageInput, Request, RequestKind
    from tests.gateway.upstream_server import API_KEY

    fake.outputs = [output]
    fields = body.get("json") or body["data"]
    sources = [ImageInput(data=f[1][1]) for f in body.get("files", [])]
    kind = RequestKind.EDIT if sources else RequestKind.GENERATE

    def screen_only() -> float:
        """The two Guard.screen calls the gateway makes, in process: the screening share."""
        start = time.perf_counter()
        guard.screen(Request(kind=kind, prompt=fields["prompt"], sources=sources), actor="bench")
        guard.screen(Request(kind=RequestKind.OUTPUT, prompt=fields["prompt"], sources=sources,
                             output=ImageInput(data=output)), actor="bench")
        return (time.perf_counter() - start) * 1000.0

    direct, through, screening = [], [], []
    with httpx.Client(timeout=120) as client:
        def call(base: str, bearer: str) -> float:
            start = time.perf_counter()
            response = client.post(f"{base}{path}", headers={"Authorization": f"Bearer {bearer}"}, **body)
            elapsed = (time.perf_counter() - start) * 1000.0
            response.raise_for_status()
            assert base64.b64decode(response.json()["data"][0]["b64_json"]) == output
            return elapsed

        call(upstream_url, API_KEY), call(gateway_url, key), screen_only()  # warm-up
        for _ in range(runs):  # alternated, so load on the machine falls on all three alike
            direct.append(call(upstream_url, API_KEY))
            through.append(call(gateway_url, key))
            screening.append(screen_only())
    d50, g50 = _pct(direct, 0.5), _pct(through, 0.5)
    return [name, f"{d50:.1f}", f"{_pct(direct, 0.95):.1f}", f"{g50:.1f}", f"{_pct(through, 0.95):.1f}",
            f"{g50 - d50:.1f}", f"{g50 / d50:.1f}x", f"{_pct(screening, 0.5):.1f}"]


if __name__ == "__main__":
    main()
