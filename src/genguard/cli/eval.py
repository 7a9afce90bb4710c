"""``genguard eval``: measure screening on labelled data (prompts: model beside keyword baseline; faces:
Challenge 25 per age group)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from genguard.errors import GenguardError
from genguard.eval.data import PromptRow, read_prompts

app = typer.Typer(help="Evaluate screening on labelled data.", no_args_is_help=True)

_SPLIT_TITLES = {
    "all": "all rows",
    "holdout": "holdout split (rows the committed model never trained on)",
}


@app.command()
def prompts(
    files: Annotated[list[Path], typer.Argument(help="JSON Lines files (or folders of them) in the dev-set schema")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full report as JSON")] = False,
) -> None:
    """Recall, precision and FPR per category with Wilson 95 % CIs, model beside keyword baseline."""
    from genguard.eval.prompts import compare

    try:
        rows: list[PromptRow] = [row for path in files for row in read_prompts(path)]
        report = compare(rows)
    except GenguardError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    report["files"] = [str(f) for f in files]
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    console = Console(width=160)
    for split, result in report["splits"].items():  # type: ignore[attr-defined]
        console.print(_table(split, result))
        if result["model"]["review"]:
            console.print(_review_table(result))


@app.command()
def faces(
    directory: Annotated[Path, typer.Argument(help="folder of face images with MANIFEST.json or labels.csv")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full report (per image too) as JSON")] = False,
    policy: Annotated[str | None, typer.Option(help="policy pack name or path (default: configured)")] = None,
) -> None:
    """Challenge 25 per age group: faces found, possible- and likely-minor rates (Wilson 95 % CIs)."""
    from genguard.config import Settings
    from genguard.detectors.registry import load_detector
    from genguard.eval.faces import faces_report, read_face_labels, screen_faces
    from genguard.policy.pack import load_pack
    from genguard.screening.facts import AgeThresholds

    settings = Settings()
    try:
        images = read_face_labels(directory)
        thresholds = AgeThresholds.from_pack(load_pack(policy or settings.policy).thresholds)
        detector = load_detector("faces")
    except GenguardError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    report = faces_report(screen_faces(images, detector, settings, thresholds), thresholds, detector.version)
    report["directory"] = str(directory)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    Console(width=160).print(_faces_table(report))


def _faces_table(report: dict[str, Any]) -> Table:
    t = report["thresholds"]
    table = Table(
        title=f"{report['images']} images, {report['detector']}",
        caption=(f"possible minor: lower age bound < {t['possible_minor_age']:g}; likely minor: "
                 f"age + {t['likely_minor_margin_sd']:g} sd < {t['likely_minor_age']:g}; any face in the "
                 "image counts; rates over all images [95 % Wilson interval]; median age of the largest face"),
    )
    for column in ("age group", "images", "faces found", "median age", "possible minor", "likely minor", "errors"):
        table.add_column(column, justify="left" if column == "age group" else "right")

    def add(name: str, entry: dict[str, Any]) -> None:
        age = entry["median_age"]
        table.add_row(name, str(entry["images"]), _rate(entry["faces_found"]), "-" if age is None else f"{age:.1f}",
                      _rate(entry["possible_minor"]), _rate(entry["likely_minor"]), str(entry["errors"]))

    for name, entry in report["groups"].items():
        add(name, entry)
    table.add_section()
    for name, entry in report["pooled"].items():
        add(name, entry)
    return table


def _rate(entry: dict[str, object] | None) -> str:
    """``0.9709 [0.9455, 0.9846]``; a dash for an empty sample."""
    if not entry or entry["value"] is None:
        return "-"
    low, high = entry["ci95"]  # type: ignore[misc]
    return f"{entry['value']:.4f} [{low:.4f}, {high:.4f}]"


def _counts(confusion: dict[str, int]) -> str:
    return "/".join(str(confusion[k]) for k in ("tp", "fn", "fp", "tn"))


def _table(split: str, result: dict[str, dict]) -> Table:  # type: ignore[type-arg]
    model, baseline = result["model"], result["baseline"]
    table = Table(
        title=f"{_SPLIT_TITLES[split]}: {result['rows']} rows, model threshold {model['threshold']}",
        caption="review rows excluded; confusion is TP/FN/FP/TN; [95 % Wilson interval]",
    )
    for column in ("category", "rows", "measure", model["system"], baseline["system"],
                   "model TP/FN/FP/TN", "baseline TP/FN/FP/TN"):
        table.add_column(column, justify="left" if column in ("category", "measure") else "right")
    for category, entry in model["per_category"].items():
        other = baseline["per_category"][category]
        measures = ("recall", "precision") if entry["label"] == "block" else ("fpr",)
        for i, measure in enumerate(measures):
            table.add_row(
                category if i == 0 else "",
                str(entry["rows"]) if i == 0 else "",
                measure,
                _rate(entry[measure]),
                _rate(other[measure]),
                _counts(entry["confusion"]) if i == 0 else "",
                _counts(other["confusion"]) if i == 0 else "",
            )
    table.add_section()
    for measure in ("recall", "precision", "fpr"):
        table.add_row("overall" if measure == "recall" else "", "", measure, _rate(model[measure]),
                      _rate(baseline[measure]),
                      _counts(model["confusion"]) if measure == "recall" else "",
                      _counts(baseline["confusion"]) if measure == "recall" else "")
    return table


def _review_table(result: dict[str, dict]) -> Table:  # type: ignore[type-arg]
    model, baseline = result["model"], result["baseline"]
    table = Table(title="review rows (no ground truth yet): share each system would block")
    for column in ("category", "rows", model["system"], baseline["system"]):
        table.add_column(column, justify="left" if column == "category" else "right")
    for category, entry in model["review"].items():
        table.add_row(category, str(entry["rows"]), _rate(entry["blocked"]),
                      _rate(baseline["review"][category]["blocked"]))
    return table
