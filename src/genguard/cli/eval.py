"""``genguard eval``: measure screening on labelled data (prompts: model beside keyword baseline; faces:
Challenge 25 per age group)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table

from genguard.errors import GenguardError
from genguard.datasets import PromptRow, read_prompts
from genguard.eval.metrics import Rate

if TYPE_CHECKING:  # the module imports the training code: loaded only when --by-source runs
    from genguard.eval.by_source import BySourceReport, Tally
    from genguard.detectors.base import TextDetector

app = typer.Typer(help="Evaluate screening on labelled data.", no_args_is_help=True)

_SPLIT_TITLES = {
    "all": "all rows",
    "holdout": "holdout split (rows the committed model never trained on)",
}


@app.command()
def prompts(
    files: Annotated[list[Path], typer.Argument(help="JSON Lines files (or folders of them) in the dev-set schema")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full report as JSON")] = False,
    by_source: Annotated[bool, typer.Option(
        "--by-source", help="also train the first stage without each source and score that source "
        "(minutes: docs/evaluation.md, 'Generalisation by source')")] = False,
    source_key: Annotated[str, typer.Option(
        help="what a source is for --by-source: 'file' (one data set per file) or 'repository' "
        "(owner/repo of the rows' source field)")] = "file",
    templates: Annotated[Path | None, typer.Option(
        help="first-stage training templates for --by-source (default: the committed ones)")] = None,
    policy: Annotated[str | None, typer.Option(
        help="policy pack whose whole decision --by-source reports beside the model (default uk-osa)")] = None,
) -> None:
    """Recall, precision and FPR per category with Wilson 95 % CIs, model beside keyword baseline."""
    from genguard.detectors.intent.keywords import VERSION as KEYWORD_VERSION
    from genguard.training.intent import TEMPLATES
    from genguard.eval.by_source import by_source as evaluate_by_source
    from genguard.eval.by_source import source_key_function
    from genguard.detectors.registry import load_detector
    from genguard.eval.policy import policy_systems
    from genguard.eval.prompts import compare, keyword_decide

    try:
        rows: list[PromptRow] = [row for path in files for row in read_prompts(path)]
        if by_source:  # bad options fail before minutes of work
            source_key_function(source_key)
            if templates is not None and not templates.is_file():
                raise GenguardError(f"{templates} does not exist", code="eval_data_missing")
        report = compare(rows)
        sources = None
        if by_source:
            # The whole decision a user gets (parsed evidence + learned scores under the pack)
            # needs no training, so by source it is simply per source, beside the keywords.
            systems = {KEYWORD_VERSION: keyword_decide, **policy_systems(cast("TextDetector", load_detector("intent")), policy or "uk-osa")}
            sources = evaluate_by_source(rows, systems, source_key=source_key, templates=templates or TEMPLATES)
    except GenguardError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    report["files"] = [str(f) for f in files]
    if sources is not None:
        report["by_source"] = sources.as_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    console = Console(width=160)
    for split, result in report["splits"].items():  # type: ignore[attr-defined]
        console.print(_table(split, result))
        if result["model"]["review"]:
            console.print(_review_table(result))
    console.print(_cv_table(report["model"], report["cross_validated"]))  # type: ignore[arg-type]
    if sources is not None:
        console.print(_by_source_table(sources))


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
        caption=(f"possible minor: lower age bound < {t['possible_minor_age']:g}"
                 + (f" or young-child score >= {t['child_face_score']:g}" if t.get("child_face_score") is not None else "")
                 + "; likely minor: "
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
    low, high = cast(tuple[float, float], entry["ci95"])
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


def _cv_table(model: str, cross_validated: dict[str, dict[str, object]]) -> Table:
    """The committed model's cross-validated figures, as recorded when it was trained."""
    table = Table(title=f"{model}: cross-validated at training (both stages, random folds, out-of-fold)",
                  caption="dev-set training rows; recall for block categories, FPR for allow ones")
    for column in ("category", "rows", "block rate [95 % Wilson]"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for category, entry in cross_validated.items():
        table.add_row(category, str(entry["total"]), _rate(entry))
    return table


def _measures(tally: Tally) -> list[tuple[str, Rate]]:
    """What a group of rows can measure: recall over its block rows, FPR over its allow rows."""
    return [(m, r) for m, r in (("recall", tally.recall), ("fpr", tally.fpr)) if r.total]


def _by_source_table(report: BySourceReport) -> Table:
    """Sources, categories and the pooled figures, one column per system."""
    from genguard.eval.by_source import Tally
    table = Table(
        title=f"by-source generalisation (trained without that source; source = {report.source_key})",
        caption=(f"first stage only, {report.inner_folds} calibration folds inside each training set; "
                 f"review rows excluded; {report.seconds:.0f} s. Leaks: " + " ".join(report.leaks)),
    )
    table.add_column("rows of", justify="left")
    table.add_column("rows", justify="right")
    table.add_column("measure", justify="left")
    for system in report.systems:
        table.add_column(f"{system.name}\n{system.method}", justify="right")
    first = report.systems[0]
    groups = [("by_source", name) for name in first.by_source]
    groups += [("by_category", name) for name in first.by_category]
    for i, (kind, name) in enumerate(groups):
        if i == len(first.by_source):
            table.add_section()
        tallies = [getattr(s, kind).get(name, Tally()) for s in report.systems]
        _add_rows(table, name, tallies)
    table.add_section()
    _add_rows(table, "pooled", [s.pooled for s in report.systems])
    return table


def _add_rows(table: Table, name: str, tallies: list[Tally]) -> None:
    for j, (measure, rate) in enumerate(_measures(tallies[0])):
        table.add_row(name if j == 0 else "", str(rate.total), measure,
                      *(_rate(getattr(t, measure).as_dict()) for t in tallies))
