"""Fault and load run: clients keep writing while the server is killed -9 and restarted.

``python -m bench.soak [--clients 32] [--seconds 40] [--kills 2] [--postgres URL]``

A real ``genguard serve`` process on a loopback port, on a fresh SQLite file and (with
``--postgres`` or ``GENGUARD_TEST_POSTGRES_URL``) on a fresh PostgreSQL schema. ``--clients``
threads post, for ``--seconds``, a mix of notices (each with its own ``Idempotency-Key``,
retried with the same key until acknowledged), text screens and bank entry adds (retried until
acknowledged; a retry that finds its hash already banked, ``entry_exists``, was stored by the
attempt the crash cut off). Meanwhile the server is killed with SIGKILL ``--kills`` times, at
even intervals, and started again. Afterwards, from the database:

* every acknowledged notice and bank entry is stored exactly once (``lost``, ``duplicates``);
* every acknowledged screen has its one ``screen.verdict`` audit record;
* ``audit verify`` passes on the whole chain;
* every stored notice, case and bank entry has its audit record (``notice.received``,
  ``case.opened``, ``bank.entry_added``): a state change never commits without it.

Latencies (p50/p95) are of acknowledged requests, retries included. Exit status 1 on any loss,
duplicate, audit gap or chain failure.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

from genguard.audit.verify import verify
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.banks.model import BankKind
from genguard.banks.service import BankService
from genguard.store.db import Store, open_store
from genguard.audit.tables import AuditRecordRow
from genguard.banks.tables import BankEntryRow
from genguard.cases.tables import CaseRow, NoticeRow

BANK = "soak"
#: How long a client keeps retrying one write after the run's end (the server may be starting).
GRACE_S = 120.0
_SERVE = "import sys; from genguard.cli.main import app; sys.argv[0] = 'genguard'; app()"


@dataclass
class Tally:
    """One operation's counts: HTTP attempts, acknowledged writes and their latencies."""

    requests: int = 0
    acknowledged: dict[str, float] = field(default_factory=dict)  # write id -> seconds to the ack
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self) -> None:
        with self.lock:
            self.requests += 1

    def ack(self, write_id: str, seconds: float) -> None:
        with self.lock:
            self.acknowledged[write_id] = seconds


class Server:
    """``genguard serve`` in a child process, killed and restarted on demand."""

    def __init__(self, database_url: str, home: Path, log: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "GENGUARD_DATABASE_URL": database_url, "GENGUARD_HOME": str(home),
                    "GENGUARD_CASES_TICK_S": "0"}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Start and wait until ready; returns the seconds it took."""
        started = time.monotonic()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([sys.executable, "-c", _SERVE, "serve", "--port", str(self.port)],
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT)
        while time.monotonic() - started < 300:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit(f"genguard serve did not become ready; see {self.log}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


def _notice(write_id: str) -> dict[str, object]:
    return {"regime": "uk_osa", "reporter_type": "user", "category": "intimate_image_abuse",
            "items": [{"platform_id": f"soak-{write_id}", "account": "soak-account"}]}


def _retrying(tally: Tally, write_id: str, deadline: float, send: Callable[[], httpx.Response],
              acknowledged: Callable[[httpx.Response, int], bool]) -> None:
    """Send until acknowledged (or past ``deadline``): a refused connection, a timeout or a 5xx
    means the server may or may not have stored the write; the retry must settle it."""
    started = time.monotonic()
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        tally.attempt()
        try:
            response = send()
        except httpx.HTTPError:
            time.sleep(0.2)
            continue
        if acknowledged(response, attempt):
            tally.ack(write_id, time.monotonic() - started)
            return
        if response.status_code < 500 and response.status_code != 429:
            raise SystemExit(f"write {write_id} refused: {response.status_code} {response.text[:300]}")
        time.sleep(float(response.headers.get("Retry-After", "0.2")))


def _client(url: str, secrets: dict[Role, str], end: float, tallies: dict[str, Tally], seed: int) -> None:
    rng = random.Random(seed)
    service = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secrets[Role.SERVICE]}"}, timeout=30)
    admin = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secrets[Role.ADMIN]}"}, timeout=30)
    with service, admin:
        while time.monotonic() < end:
            write_id = uuid.uuid4().hex
            pick = rng.random()
            if pick < 0.5:
                _retrying(tallies["notice"], write_id, end + GRACE_S,
                          lambda: service.post("/v1/notices", json=_notice(write_id),
                                               headers={"Idempotency-Key": write_id}),
                          lambda r, _: r.status_code == 201)
            elif pick < 0.75:
                md5 = uuid.uuid4().hex  # 32 hex characters, unique per write
                _retrying(tallies["bank add"], md5, end + GRACE_S,
                          lambda: admin.post(f"/v1/banks/{BANK}/entries", json={"signal_type": "md5", "value": md5}),
                          lambda r, attempt: r.status_code == 201 or (
                              attempt > 1 and r.status_code == 409 and r.json()["error"]["code"] == "entry_exists"))
            else:
                # A screen is answered, not stored; it is not retried (a retry would be a second
                # verdict). Its acknowledgement promises one audit record.
                tally = tallies["screen"]
                tally.attempt()
                started = time.monotonic()
                try:
                    response = service.post("/v1/screen", data={"kind": "generate", "prompt": "a cat in a hat",
                                                                "id": write_id})
                except httpx.HTTPError:
                    time.sleep(0.2)
                    continue
                if response.status_code == 200:
                    tally.ack(write_id, time.monotonic() - started)
                else:
                    time.sleep(0.2)


@dataclass
class Outcome:
    rows: list[tuple[str, int, int, int, int, int, float, float]]
    audit_ok: bool
    audit_summary: str
    gaps: dict[str, int]
    restarts_s: list[float]

    @property
    def ok(self) -> bool:
        return self.audit_ok and not any(self.gaps.values()) and all(r[4] == 0 and r[5] == 0 for r in self.rows)


def _check(store: Store, tallies: dict[str, Tally]) -> tuple[list[tuple[str, int, int, int, int, int, float, float]],
                                                             dict[str, int]]:
    """Rows of the table, and the audit gaps (stored changes without their record)."""
    with store.transaction() as session:
        notice_keys = Counter(session.scalars(select(NoticeRow.idempotency_key)))
        entry_values = Counter(session.scalars(select(BankEntryRow.value)))
        subjects = Counter((k, s) for k, s in session.execute(select(AuditRecordRow.kind, AuditRecordRow.subject)))
        notice_ids = list(session.scalars(select(NoticeRow.id)))
        case_ids = list(session.scalars(select(CaseRow.id)))
        entry_ids = list(session.scalars(select(BankEntryRow.id)))
        cases_per_notice = Counter(session.scalars(select(CaseRow.notice_id)))
    stored = {"notice": notice_keys, "bank add": entry_values,
              "screen": Counter({s: n for (k, s), n in subjects.items() if k == "screen.verdict" and s})}
    rows = []
    for name, tally in tallies.items():
        acked = tally.acknowledged
        found = stored[name]
        lost = sum(1 for w in acked if found.get(w, 0) == 0)
        duplicates = sum(n - 1 for w, n in found.items() if n > 1)
        times = sorted(acked.values()) or [0.0]
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        rows.append((name, tally.requests, len(acked), sum(found.values()), duplicates, lost,
                     statistics.median(times) * 1000, p95 * 1000))
    gaps = {
        "notice without notice.received": sum(1 for i in notice_ids if not subjects[("notice.received", f"notice:{i}")]),
        "case without case.opened": sum(1 for i in case_ids if not subjects[("case.opened", f"case:{i}")]),
        "bank entry without bank.entry_added": sum(
            1 for i in entry_ids if not subjects[("bank.entry_added", f"bank-entry:{i}")]),
        "notice without its one case": sum(1 for i in notice_ids if cases_per_notice[i] != 1),
    }
    return rows, gaps


def soak(database_url: str, *, clients: int, seconds: float, kills: int, workdir: Path) -> Outcome:
    """One run on one database (see module doc)."""
    store = open_store(database_url)
    secrets = {role: create_key(store, role, f"soak-{role.value}").secret for role in (Role.SERVICE, Role.ADMIN)}
    banks = BankService(store, poll_s=0.0)
    banks.create_bank(BANK, BankKind.INTERNAL_BLOCKED, actor="soak")
    server = Server(database_url, workdir, workdir / "serve.log")
    restarts = [server.start()]
    tallies = {"notice": Tally(), "screen": Tally(), "bank add": Tally()}
    end = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(server.url, secrets, end, tallies, i), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    try:
        for k in range(1, kills + 1):
            time.sleep(max(0.0, end - seconds + seconds * k / (kills + 1) - time.monotonic()))
            server.kill()
            restarts.append(server.start())
        for t in threads:
            t.join(timeout=seconds + GRACE_S + 60)
    finally:
        server.stop()
    report = verify(store)
    rows, gaps = _check(store, tallies)
    store.close()
    return Outcome(rows, report.ok, report.summary().splitlines()[0], gaps, restarts)


def _postgres_schema(base: str) -> tuple[str, Callable[[], None]]:
    schema = f"soak_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", drop


def print_outcome(backend: str, outcome: Outcome, clients: int, seconds: float, kills: int) -> None:
    print(f"\n{backend}: {clients} clients, {seconds:.0f} s, {kills} x kill -9 and restart "
          f"(ready again after {', '.join(f'{s:.1f}' for s in outcome.restarts_s[1:]) or '-'} s)")
    print(f"{'operation':10} {'requests':>9} {'acknowledged':>13} {'stored':>7} {'duplicates':>11} {'lost':>5} "
          f"{'p50 ms':>8} {'p95 ms':>8}")
    for name, requests, acked, stored, dup, lost, p50, p95 in outcome.rows:
        print(f"{name:10} {requests:>9} {acked:>13} {stored:>7} {dup:>11} {lost:>5} {p50:>8.0f} {p95:>8.0f}")
    print(f"audit verify: {outcome.audit_summary}")
    print("audit gaps: " + ", ".join(f"{k} {v}" for k, v in outcome.gaps.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("GENGUARD_TEST_POSTGRES_URL"),
                        help="also run on PostgreSQL at this URL (a fresh schema, dropped afterwards)")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="genguard-soak-") as tmp:
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'sqlite' / 'genguard.db'}", None)]
        if args.postgres:
            backends.append(("PostgreSQL", *_postgres_schema(args.postgres)))
        for backend, url, drop in backends:
            workdir = Path(tmp) / backend.lower()
            workdir.mkdir(exist_ok=True)
            try:
                outcome = soak(url, clients=args.clients, seconds=args.seconds, kills=args.kills, workdir=workdir)
            finally:
                if drop is not None:
                    drop()
            print_outcome(backend, outcome, args.clients, args.seconds, args.kills)
            failed |= not outcome.ok
    if failed:
        raise SystemExit("soak: a write was lost or duplicated, or the audit trail has a gap")


if __name__ == "__main__":
    main()
