"""Cost of the SSRF-safe media fetcher against plain httpx, on a loopback image server.

``python -m bench media_fetch [--fetches 300]``

A real HTTP server on 127.0.0.1 serves the licensed benign test image
(``shared/data/images/scenes/coffee_cup_skimage.png``). Baseline in the same run: one
``httpx.Client`` reused for every ``GET`` (keep-alive; checking nothing, what a naive fetcher
at its fastest does). Measured: ``MediaFetcher.fetch`` on the same URL (allowlist and form
checks, address check and a fresh pinned connection per fetch, streamed size check, deadline,
format sniff), with loopback exempted as the tests do. Also: a fresh ``httpx.Client`` per
``GET`` (it loads a CA store every time), and how long a refusal of ``http://169.254.169.254/``
takes (no connection is made). Prints median and p90 per fetch and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import ipaddress
import statistics
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from genguard.net.fetch import FetchPolicy, FetchRefused, MediaFetcher

IMAGE = Path(__file__).resolve().parents[2] / "shared" / "data" / "images" / "scenes" / "coffee_cup_skimage.png"


def _serve(body: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/cup.png"


def _times(call: Callable[[], object], count: int) -> list[float]:
    call()  # warm-up
    out = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(0.9 * len(ordered) + 0.999999) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fetches", type=int, default=300)
    args = parser.parse_args()
    body = IMAGE.read_bytes()
    server, url = _serve(body)
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1", "169.254.169.254"}), allow_http=True,
                         exempt_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    fetcher = MediaFetcher(policy)

    shared = httpx.Client(timeout=10, trust_env=False)

    def reused() -> object:
        response = shared.get(url)
        assert response.content == body
        return response

    def fresh() -> object:
        with httpx.Client(timeout=10, trust_env=False) as client:
            response = client.get(url)
            assert response.content == body
        return response

    def guarded() -> object:
        got = fetcher.fetch(url)
        assert got.data == body and got.format == "png"
        return got

    def refused() -> object:
        try:
            fetcher.fetch("http://169.254.169.254/latest/meta-data/")
        except FetchRefused as exc:
            return exc
        raise AssertionError("the metadata address was not refused")

    try:
        rows = [("httpx GET, one client reused (baseline)", _times(reused, args.fetches)),
                ("MediaFetcher.fetch", _times(guarded, args.fetches)),
                ("httpx GET, fresh client per fetch", _times(fresh, args.fetches)),
                ("refusal of 169.254.169.254 (no connection)", _times(refused, args.fetches))]
    finally:
        shared.close()
        server.shutdown()
        server.server_close()
    table = Table(title=f"Media fetch of a {len(body):,}-byte PNG on loopback, {args.fetches} fetches each")
    for column in ("path", "median ms", "p90 ms", "vs baseline (median)"):
        table.add_column(column, justify="left" if column == "path" else "right")
    base = statistics.median(rows[0][1])
    for name, values in rows:
        median = statistics.median(values)
        table.add_row(name, f"{median * 1000:.3f}", f"{_p90(values) * 1000:.3f}", f"{median / base:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
