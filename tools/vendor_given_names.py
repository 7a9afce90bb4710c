"""Rebuild ``src/genguard/detectors/names/given_names.tsv`` from the ``nomquamgender`` wheel.

The name stage needs only the 41,109 first names that pass ``load_given_names``'s filter and
their counts; parsing the wheel's 22 MB JSON at every start cost seconds and ~190 MB of peak
memory, and pulled pandas into the install. So the filtered list is vendored here (MIT, the
wheel's licence; data card docs/names-gazetteer.md), with the source file's SHA-256 in its
header so a rebuild can be checked byte for byte:

    python -m venv /tmp/nqg && /tmp/nqg/bin/pip install nomquamgender==0.1.4
    PYTHONPATH=src python tools/vendor_given_names.py /tmp/nqg/lib/python3.11/site-packages/nomquamgender/name_data.json
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from genguard.detectors.names.gazetteer import GIVEN_NAMES, MIN_COUNT, load_given_names

SOURCE = "nomquamgender 0.1.4 (MIT), name_data.json"


def main(source: Path) -> None:
    names = load_given_names(source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    lines = [f"# {SOURCE} sha256={digest}; kept: count >= {MIN_COUNT}, letters only, 2+ long, not NOT_SURNAME",
             *(f"{name}\t{count}" for name, count in sorted(names.items()))]
    GIVEN_NAMES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {GIVEN_NAMES}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
