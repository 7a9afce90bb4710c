"""Plain-language lines for a verdict's signals, so a playground user sees why, not just what.

Works on the verdict's public JSON (``Verdict.public()``), the same shape the API returns and
the audit trail keeps, and reads optional signals with ``get`` so newer signals simply add lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Line:
    """One signal: where it came from, what it measured, what that means."""

    source: str
    value: str
    meaning: str


def _intent(intent: dict[str, Any]) -> list[Line]:
    scores = {k: v for k, v in intent.get("scores", {}).items() if v >= 0.01}  # 2-decimal display
    if not scores:
        return [Line("prompt intent", "no category scored", f"model {intent.get('model', '?')}")]
    return [
        Line("prompt intent", f"{category} {score:.2f}",
             "evidence: " + (", ".join(intent.get("evidence", {}).get(category, [])) or "model score only"))
        for category, score in sorted(scores.items(), key=lambda kv: -kv[1])
    ]


def _image(image: dict[str, Any]) -> list[Line]:
    where = f"{image['role']} image {image['index'] + 1}"
    lines = [Line(where, f"{image['width']}×{image['height']} {image['format']}", "decoded and screened")]
    nudity = image.get("nudity")
    if nudity:
        lines.append(Line(f"{where}: nudity", f"exposed {nudity['exposed']:.2f} · minimal clothing "
                          f"{nudity['minimal_clothing']:.2f} · skin {nudity['skin']:.2f}",
                          f"{len(nudity['regions'])} region(s) found; boxes drawn on the preview"))
    faces = (image.get("faces") or {}).get("faces")
    if faces is not None:
        ages = ", ".join(f"{f['age']:.0f}±{f.get('age_sd') or 0:.0f}" for f in faces if f.get("age") is not None)
        lines.append(Line(f"{where}: faces", f"{len(faces)} face(s)",
                          f"estimated ages {ages} (Challenge 25 treats under 25 as a possible minor)" if ages
                          else "no age estimate"))
    for match in image.get("bank_matches", []):
        lines.append(Line(f"{where}: hash bank", f"{match['bank']} ({match['bank_kind']})",
                          f"{match['signal_type']} distance {match['distance']} → {match['action']}"))
    return lines


def explain(verdict: dict[str, Any]) -> list[Line]:
    """Every signal of ``verdict`` as a line; detector failures first (they force review or block)."""
    signals = verdict.get("signals", {})
    lines = [Line(f"failure: {f['detector']}", f["target"], f"{f['error']} — treated as unknown, never as safe")
             for f in signals.get("failures", [])]
    if signals.get("intent"):
        lines += _intent(signals["intent"])
    for image in signals.get("images", []):
        lines += _image(image)
    delta = signals.get("delta")
    if delta:
        for person in delta.get("people", []):
            changes = ", ".join(person.get("transitions", [])) or "no exposure change"
            lines.append(Line("output vs source",
                              f"person {person['source_face'] + 1}: distance {person['distance']:.2f}", changes))
    conversation = signals.get("conversation")
    if conversation and conversation.get("reduction_turns"):
        lines.append(Line("conversation", f"{conversation['reduction_turns']} garment-reduction turn(s)",
                          "counted across the session's turns"))
    return lines
