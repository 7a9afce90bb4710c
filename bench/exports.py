"""What validating regulatory exports before writing them costs.

``python -m bench exports [--statements N] [--reports N]``

* DSA: N statements of reasons turned into Transparency Database statements and validated
  against the v2 schema (``dsa_schema.check``: JSON Schema, date bounds, puid uniqueness).
  Baseline in the same run: building the same statements without validation.
* NCMEC: N CyberTipline ``<report>`` + ``<fileDetails>`` pairs built and validated against the
  XSD. Baseline in the same run: serialising the same XML without validation.

The figure to read is the validated rate, and the ratio says how much of the export's time the
validation takes; both are far above any platform's decision rate, so validation never gates
an export.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from genguard.cases.settings import CaseSettings
from genguard.compliance import dsa_schema, dsa_tdb, mandatory
from genguard.compliance.statements import Ground, statement_of_reasons


def _sors(n: int) -> list[dict[str, Any]]:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    ground = Ground("illegal", "Directive (EU) 2024/1385 Art. 5", "Reviewed: the reported intimate image.")
    return [statement_of_reasons(case_id=i, decision="remove", ground=ground, decided_at=now - timedelta(minutes=i),
                                 automated_detection=i % 2 == 0, automated_decision=False, notice=None,
                                 content={"platform_id": f"p{i}"}, territorial_scope=["EEA"]) for i in range(n)]


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.exports")
    parser.add_argument("--statements", type=int, default=5000)
    parser.add_argument("--reports", type=int, default=500)
    args = parser.parse_args()

    sors = _sors(args.statements)

    def build() -> list[dict[str, Any]]:
        return [dsa_tdb.statement(s, category="intimate_image_abuse", source="notice", puid=f"gg-{i}")
                for i, s in enumerate(sors)]

    build()  # warm the schema and validator caches
    dsa_schema.check(build())
    plain = _timed(build)
    checked = _timed(lambda: dsa_schema.check(build()))

    settings = CaseSettings()
    incidents = [mandatory.Incident(i, datetime(2026, 12, 1, tzinfo=UTC), "hotline", f"acct-{i}", f"p{i}",
                                    f"https://media.example.org/{i}.jpg", {"md5": "ab" * 16, "sha256": "cd" * 32,
                                                                            "pdq": "ef" * 32}, "hotline", "NCMEC",
                                    generated=i % 2 == 0) for i in range(args.reports)]
    original = mandatory.validate_ncmec

    def xml_pairs() -> None:
        for inc in incidents:
            mandatory.ncmec_report(inc, settings)
            mandatory.ncmec_file_details(inc, settings, report_id=inc.case_id + 1, file_id=f"f{inc.case_id}")

    xml_pairs()  # warm the XSD cache
    xsd = _timed(xml_pairs)
    mandatory.validate_ncmec = lambda document, expected_root: document  # the unvalidated baseline
    try:
        bare = _timed(xml_pairs)
    finally:
        mandatory.validate_ncmec = original

    table = Table(title="Export validation cost (same run, same process)")
    for col in ("export", "items", "validated /s", "unvalidated /s", "validated / unvalidated time"):
        table.add_column(col, justify="right" if col != "export" else "left")
    table.add_row("DSA statement (v2 JSON Schema)", str(args.statements), f"{args.statements / checked:,.0f}",
                  f"{args.statements / plain:,.0f}", f"{checked / plain:.1f}x")
    table.add_row("NCMEC report + fileDetails (XSD)", str(args.reports), f"{args.reports / xsd:,.0f}",
                  f"{args.reports / bare:,.0f}", f"{xsd / bare:.1f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
