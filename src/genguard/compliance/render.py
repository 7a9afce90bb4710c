"""The transparency report as JSON, CSV and a self-contained HTML page with inline SVG charts.

No scripts, fonts or CDNs: the page renders offline and can be archived as one file. Every
value is escaped; output depends only on the report, so the same period gives the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterator
from typing import Any

_BAR_H = 22
_WIDTH = 640
_LABEL_W = 220


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True) + "\n"


def _rows(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _rows(value[key], f"{path}.{key}" if path else key)
    else:
        yield path, "" if value is None else str(value)


def to_csv(report: dict[str, Any]) -> str:
    """One ``metric,value`` row per leaf, metric being the dotted path (e.g.
    ``time_to_action.take_it_down_48h.p90_s``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "value"])
    writer.writerows(_rows(report, ""))
    return out.getvalue()


def bar_chart(title: str, counts: dict[str, int]) -> str:
    """A horizontal bar chart as inline SVG."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = max((v for _, v in items), default=0) or 1
    height = 30 + _BAR_H * max(1, len(items))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" role="img" '
             f'aria-label="{html.escape(title)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{html.escape(title)}</text>']
    if not items:
        parts.append('<text x="0" y="44" font-size="12">none in this period</text>')
    for i, (label, value) in enumerate(items):
        y = 26 + i * _BAR_H
        width = round((_WIDTH - _LABEL_W - 60) * value / top)
        parts += [f'<text x="0" y="{y + 15}" font-size="12">{html.escape(label)}</text>',
                  f'<rect x="{_LABEL_W}" y="{y + 3}" width="{width}" height="{_BAR_H - 6}" fill="#3b6ea5"/>',
                  f'<text x="{_LABEL_W + width + 6}" y="{y + 15}" font-size="12">{value}</text>']
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _hours(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.2f} h"


def to_html(report: dict[str, Any]) -> str:
    period = report["period"]
    ttas = report["time_to_action"]
    appeals = report["appeals"]
    actions = report["actions"]
    feedback = report["match_feedback"]
    sections = [
        f"<h1>Transparency report</h1><p>Period {html.escape(period['start'])} to {html.escape(period['end'])}; "
        f"built from audit records {report['audit']['first_seq']}..{report['audit']['last_seq']} "
        f"(last hash <code>{html.escape(str(report['audit']['last_hash']))}</code>).</p>",
        "<h2>Notices and cases</h2>",
        bar_chart("Cases by category", report["cases"]["by_category"]),
        bar_chart("Cases by source", report["cases"]["by_source"]),
        bar_chart("Notices by regime", report["notices"]["by_regime"]),
        "<h2>Actions</h2>",
        bar_chart("Actions", actions["by_action"]),
        f"<p>Automated: {actions['automated']}; human: {actions['human']}; "
        f"share automated: {actions['share_automated']}</p>",
        "<h2>Time to action against each statutory clock</h2>",
        _table(["clock", "budget", "actions", "median", "p90", "within clock", "share within"],
               [[c, _hours(t["budget_s"]), t["actions"], _hours(t["median_s"]), _hours(t["p90_s"]),
                 t["within_clock"], t["share_within"]] for c, t in ttas.items()]),
        f"<p>Clock alerts: {report['clock_alerts']['escalated']} escalated, "
        f"{report['clock_alerts']['breached']} breached.</p>",
        "<h2>Appeals</h2>",
        _table(["filed", "decided", "upheld", "reversed", "reinstated", "appeal rate", "reversal rate"],
               [[appeals["filed"], appeals["decided"], appeals["upheld"], appeals["reversed"],
                 appeals["reinstated"], appeals["appeal_rate"], appeals["reversal_rate"]]]),
        "<h2>Hash-bank matches</h2>",
        bar_chart("Matches per bank", report["bank_matches"]),
        "<h2>Feedback on hash-bank matches</h2>",
        _table(["true positive", "false positive", "share false", "verdicts changed"],
               [[feedback["true_positive"], feedback["false_positive"], feedback["share_false"],
                 feedback["changed"]]]),
        bar_chart("False positives reported per bank", feedback["false_positive_by_bank"]),
        "<h2>Mandatory reports</h2>",
        _table(["destination", "reports"], [[k, v] for k, v in report["mandatory_reports"].items()]),
    ]
    style = ("body{font-family:sans-serif;max-width:760px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:4px 8px;text-align:right}svg{display:block;margin:1em 0}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Transparency report</title>'
            f"<style>{style}</style></head><body>{''.join(sections)}</body></html>\n")
