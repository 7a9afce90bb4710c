"""Notice intake throughput through the HTTP API, with 32 concurrent clients, on PostgreSQL.

``python -m bench.intake [--notices N] [--clients 32] [--workers 2] [--database URL]``

A real server (uvicorn, ``--workers`` processes, no models loaded: intake needs none) on a fresh
PostgreSQL schema; ``--clients`` threads POST valid TAKE IT DOWN notices (one item each, unique
ids) as fast as answers come back. Afterwards every receipt is checked against the database:
the notice row, its case and its ``notice.received`` audit record must all be there (zero lost).

Baseline in the same run: the same clients calling ``GET /v1/audit/head`` — an authenticated
request that reads one row — on the same server. ``intake / floor`` is the share of the
server's bare authenticated-request rate that full intake (validation, notice + case rows, two
audit-chain appends) keeps.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, func, select, text

from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.store.db import open_store
from genguard.audit.tables import AuditRecordRow
from genguard.cases.tables import CaseRow, NoticeRow

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def app_factory():  # noqa: ANN201 - FastAPI; uvicorn imports this in each worker
    from genguard.api.app import create_app
    from genguard.config import Settings
    from genguard.guard import Guard

    settings = Settings(database_url=os.environ["GENGUARD_DATABASE_URL"], home=Path(os.environ["GENGUARD_HOME"]))
    return create_app(settings, guard=Guard(settings, detectors={}))


def _notice(n: int) -> dict[str, object]:
    return {"regime": "take_it_down", "reporter_type": "victim", "category": "intimate_image_abuse",
            "items": [{"platform_id": f"bench-{n}", "sha256": f"{n:064x}"}],
            "reporter": {"email": "victim@example.org"}, "signature": "V", "good_faith_statement": True}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(url: str, secret: str, count: int, clients: int, call) -> tuple[float, list[httpx.Response]]:  # noqa: ANN001
    def worker(indices: range) -> list[httpx.Response]:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=60) as client:
            return [call(client, i) for i in indices]

    chunks = [range(i, count, clients) for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for part in pool.map(worker, chunks) for r in part]
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--notices", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=os.environ.get("GENGUARD_BENCH_POSTGRES_URL", DEFAULT_DB))
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(args.database, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{args.database}{'&' if '?' in args.database else '?'}options=-csearch_path%3D{schema}"
    store = open_store(url)
    service_key = create_key(store, Role.SERVICE, "bench-service").secret
    auditor_key = create_key(store, Role.AUDITOR, "bench-auditor").secret
    port = _free_port()
    env = {**os.environ, "GENGUARD_DATABASE_URL": url, "GENGUARD_HOME": f"/tmp/{schema}",
           "GENGUARD_CASES_TICK_S": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.intake:app_factory", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the benchmark server did not start")
            time.sleep(0.2)
        _run(base, auditor_key, 200, args.clients, lambda c, i: c.get("/v1/audit/head"))  # warm both workers
        floor_s, floor = _run(base, auditor_key, args.notices, args.clients, lambda c, i: c.get("/v1/audit/head"))
        intake_s, sent = _run(base, service_key, args.notices, args.clients,
                              lambda c, i: c.post("/v1/notices", json=_notice(i)))
    finally:
        server.terminate()
        server.wait(timeout=30)

    failed = sum(1 for r in sent if r.status_code != 201) + sum(1 for r in floor if r.status_code != 200)
    receipts = {r.json()["notice_id"] for r in sent if r.status_code == 201}
    with store.transaction() as session:
        stored = set(session.scalars(select(NoticeRow.id)))
        cases = session.scalar(select(func.count()).select_from(CaseRow))
        audited = session.scalar(select(func.count()).where(AuditRecordRow.kind == "notice.received"))
    lost = len(receipts - stored) + (args.notices - len(receipts))
    store.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    table = Table(title=f"Notice intake, {args.clients} clients, {args.workers} server workers, PostgreSQL")
    for column in ("path", "requests", "seconds", "per second", "failed"):
        table.add_column(column, justify="right")
    table.add_row("GET /v1/audit/head (floor)", str(len(floor)), f"{floor_s:.2f}", f"{len(floor) / floor_s:.0f}",
                  str(sum(1 for r in floor if r.status_code != 200)))
    table.add_row("POST /v1/notices", str(len(sent)), f"{intake_s:.2f}", f"{len(sent) / intake_s:.0f}",
                  str(sum(1 for r in sent if r.status_code != 201)))
    Console().print(table)
    print(f"intake / floor: {(len(sent) / intake_s) / (len(floor) / floor_s):.2f}")
    print(f"receipts {len(receipts)}, notices stored {len(stored)}, cases {cases}, notice.received records "
          f"{audited}, lost {lost}, failed requests {failed}")
    if lost or failed or cases != len(receipts) or audited != len(receipts):
        raise SystemExit("intake lost or failed notices")


if __name__ == "__main__":
    main()
