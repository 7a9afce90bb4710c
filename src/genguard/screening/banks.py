"""Hash banks inside ``Guard.screen()``: look every image up, remember what was seen, bank
blocked outputs.

Before policy: each image with hashes is looked up (PDQ of its eight rotations/flips, MD5,
SHA-256); matches become ``ImageSignals.bank_matches`` and, through the ``*.bank_match``
facts, the ``KNOWN_ABUSE_HASH`` rule. A lookup that fails (or banks not configured at all)
is a ``DetectorFailure`` named ``banks``: the bank facts become unknown and the policy fails
closed, never allow.

After the verdict: an output genguard blocked *for what it shows* (:func:`blocked_for_what_it_shows`)
is banked in :data:`INTERNAL_BANK`, so the same image uploaded later is caught by its hashes; an
output blocked only for its prompt is not (it may show nothing wrong, and banking it would block
an innocent picture wherever it appears); then every image's hashes are recorded as seen
content for retro-scans.
"""

from __future__ import annotations

import logging
from pathlib import Path

from genguard.banks.formats.records import HashRecord
from genguard.banks.hashing import image_hashes, signal_hashes
from genguard.banks.model import INTERNAL_BANK, MIN_PDQ_QUALITY, BankKind, Match
from genguard.banks.service import BankService
from genguard.banks.signal_types import SignalType
from genguard.policy.engine import held_facts
from genguard.policy.pack import PolicyPack
from genguard.request import ScreenRequest
from genguard.screening.collect import Target
from genguard.signals import BankMatch, DetectorFailure, ImageSignals, ImageRole, SignalSet
from genguard.store.db import Store
from genguard.verdict import Decision, Verdict

log = logging.getLogger(__name__)
SLOT = "banks"


class BankScreening:
    """The screening side of the banks; ``service`` None means banks are not configured."""

    def __init__(self, service: BankService | None) -> None:
        self.service = service

    @classmethod
    def open(cls, store: Store | None, home: Path) -> BankScreening:
        if store is None:
            return cls(None)
        return cls(BankService.for_home(store, home))

    def annotate(self, signals: SignalSet, targets: list[Target]) -> SignalSet:
        """``signals`` with each image's bank matches, or a ``banks`` failure per image."""
        decoded = {(t.role, t.index): t.image for t in targets}
        images: list[ImageSignals] = []
        failures = list(signals.failures)
        for image in signals.images:
            name = f"{image.role.value}[{image.index}]"
            if self.service is None:
                failures.append(DetectorFailure(detector=SLOT, error="hash banks not configured", target=name))
            elif image.hashes is not None:  # no hashes: the hash detector's failure already fails closed
                try:
                    hashes = (signal_hashes(image.hashes) if image.hashes.pdq_variants
                              else image_hashes(decoded[(image.role, image.index)]))
                    found = self.service.lookup(hashes.query(), count=True)
                    image = image.model_copy(update={"bank_matches": [_signal(m) for m in found.matches]})
                except Exception as exc:  # noqa: BLE001 - a lookup that cannot answer is unknown, never "no match"
                    log.exception("bank lookup failed for %s", name)
                    failures.append(DetectorFailure(detector=SLOT, error=f"{type(exc).__name__}: {exc}"[:500],
                                                    target=name))
            images.append(image)
        return signals.model_copy(update={"images": images, "failures": failures})

    def remember(self, request: ScreenRequest, verdict: Verdict, *, bank_output: bool) -> None:
        """Bank the outputs when ``bank_output`` (see :func:`blocked_for_what_it_shows`), then
        record every image as seen. Errors are logged, not raised: the verdict already stands,
        and a 5xx here would turn a block into a retry."""
        if self.service is None:
            return
        try:
            for image in verdict.signals.images:
                if image.hashes is not None and image.role is ImageRole.OUTPUT and bank_output:
                    self._bank_output(image, request.id)
            for image in verdict.signals.images:
                if image.hashes is not None:
                    h = image.hashes
                    self.service.record_seen(source=image.role.value, ref=request.id, pdq=h.pdq,
                                             pdq_quality=h.pdq_quality,
                                             pdq_variants=[v for n, v in h.pdq_variants.items() if n != "original"],
                                             **h.exact_values())
        except Exception:  # noqa: BLE001 - see docstring
            log.exception("could not bank or record the images of request %s", request.id)

    def _bank_output(self, image: ImageSignals, request_id: str | None) -> None:
        assert self.service is not None and image.hashes is not None
        h = image.hashes
        records = [HashRecord(SignalType(name), value, request_id or "") for name, value in h.exact_values().items()]
        if h.pdq_quality >= MIN_PDQ_QUALITY:
            records.append(HashRecord(SignalType.PDQ, h.pdq, request_id or ""))
        self.service.ensure_bank(INTERNAL_BANK, BankKind.INTERNAL_BLOCKED)
        self.service.import_records(INTERNAL_BANK, records)


#: Facts about what an output image itself shows: exposure, an undressing against its source, a
#: bank match. A block that rests on one of these is about the pixels; any other is about the
#: request (its words, the person or age in its sources).
SHOWN_FACTS = frozenset({"output.exposed", "output.minimal_clothing", "output.bank_match", "delta.undress",
                         "delta.faceless_undress", "delta.exposure_growth"})


def blocked_for_what_it_shows(pack: PolicyPack, verdict: Verdict) -> bool:
    """Whether a blocking rule fired on :data:`SHOWN_FACTS` (a condition on one of them held),
    or the output matched a bank: only such an output is banked for re-upload blocking."""
    if verdict.decision is not Decision.BLOCK:
        return False
    if verdict.facts.get("output.bank_match") is True:
        return True
    return any(held_facts(pack, hit, verdict.facts) & SHOWN_FACTS
               for hit in verdict.hits if hit.decision is Decision.BLOCK)


def _signal(m: Match) -> BankMatch:
    return BankMatch(
        bank=m.bank.name, bank_kind=m.bank.kind.value, entry_id=str(m.entry.id), signal_type=m.entry.signal_type,
        distance=m.distance, action=m.action.value, provenance=m.bank.provenance,
    )
