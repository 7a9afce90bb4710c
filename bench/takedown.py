"""Takedown sweep throughput: a removal with N copies, from the decision to every copy acknowledged.

``python -m bench.takedown [--copies 1000] [--database URL]``

A fresh SQLite file (or ``--database``, e.g. a PostgreSQL URL), N seen copies of one item, a
loopback webhook receiver (``http.server``, answers 200, counts requests). The reviewer's
decision is recorded, then the case worker runs in this process (``CaseService.work``) until the
sweep is done: banking, the retro-scan, linking each copy with its audit record, the signed
removal webhook per copy and its acknowledgement recorded with ``takedown.copy_removed``.

Baseline in the same run: the same sweep with the webhook sender building a new HTTP client per
delivery (how it sent before the pooled client; a client costs its TLS context). The decision
request itself is timed too: it only records and enqueues, whatever N is.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from genguard.banks.retro import record_seen
from genguard.banks.service import BankService
from genguard.cases.notices import Notice
from genguard.cases.service import CaseService
from genguard.cases.webhooks import Delivery, WebhookSender
from genguard.store.db import open_store
from genguard.store.base import utcnow

SECRET = b"bench-webhook-secret-0123"


class _PerDelivery(WebhookSender):
    """The baseline: a new client for every delivery."""

    def send(self, event: str, payload: Any, idempotency_key: str) -> Delivery:
        try:
            return super().send(event, payload, idempotency_key)
        finally:
            self.close()


def _receiver() -> tuple[ThreadingHTTPServer, list[int]]:
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers["Content-Length"]))
            count[0] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, count


def _run(url: str, copies: int, sender: WebhookSender, home: Path) -> dict[str, float]:
    store = open_store(url)
    try:
        banks = BankService(store, snapshot_path=home / "pdq.idx")
        svc = CaseService(store, banks=banks, sender=sender)
        sha = f"{time.time_ns():064x}"[-64:]
        with store.transaction(write_lock=True) as session:
            for i in range(copies):
                record_seen(session, source="upload", ref=f"copy-{i}", sha256=sha, md5="0" * 32, pdq=None,
                            pdq_quality=None, now=utcnow())
        notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim",
                                        "category": "intimate_image_abuse",
                                        "items": [{"platform_id": "orig", "sha256": sha}]})
        case_id = svc.submit_notice(notice, actor="bench")["cases"][0]["case_id"]
        svc.claim("bench", case_id)
        started = time.perf_counter()
        svc.decide(case_id, "bench", "remove", explanation="bench")
        decided = time.perf_counter()
        svc.work()
        done = time.perf_counter()
        progress = svc.get(case_id)["takedown"]
        assert progress["copies_removed"] == copies and progress["done"], progress
        return {"decide_s": decided - started, "sweep_s": done - decided}
    finally:
        sender.close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--database", default=None, help="database URL (default: a fresh SQLite file per run)")
    args = parser.parse_args()
    server, count = _receiver()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    rows = []
    try:
        for name, cls in (("new client per delivery (baseline)", _PerDelivery), ("pooled client", WebhookSender)):
            with tempfile.TemporaryDirectory() as tmp:
                database = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
                before = count[0]
                result = _run(database, args.copies, cls(url=url, secret=SECRET, backoff_s=0), Path(tmp))
                rows.append((name, result, count[0] - before))
    finally:
        server.shutdown()
    table = Table(title=f"takedown of {args.copies} copies ({args.database or 'SQLite file'})")
    for column in ("sender", "decision request ms", "sweep s", "copies/s", "webhooks", "speed-up"):
        table.add_column(column, justify="left" if column == "sender" else "right")
    base = rows[0][1]["sweep_s"]
    for name, result, hooks in rows:
        table.add_row(name, f"{result['decide_s'] * 1000:.1f}", f"{result['sweep_s']:.2f}",
                      f"{args.copies / result['sweep_s']:.0f}", str(hooks), f"{base / result['sweep_s']:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
