"""``python -m bench [NAME ...]`` runs the named benchmarks (default: all), each printing a table;
``python -m bench NAME --option ...`` runs one with its options (as ``python -m bench.NAME``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    here = Path(__file__).parent
    available = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    args = sys.argv[1:]
    first_option = next((i for i, a in enumerate(args) if a.startswith("-")), len(args))
    wanted, options = args[:first_option] or available, args[first_option:]
    if options and len(wanted) != 1:
        sys.exit("options go to one benchmark: python -m bench NAME --option ...")
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}")
    for name in wanted:
        print(f"\n=== bench.{name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"bench.{name}", *options]
        module.main()


if __name__ == "__main__":
    main()
