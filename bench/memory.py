"""Service memory: RSS with every model loaded, idle and after 100 distinct 1024-px edit screens.

``python -m bench memory [--edits N]`` runs, in a fresh process per configuration, what
the service holds (the app's Guard with every detector loaded, an SQLite audit store) and
screens ``N`` distinct 1024-px edit requests (crops of the licensed portraits, so no screen
reuses an earlier one's signals), printing RSS idle and after, child processes included, and
the parent's peak, for three configurations: as before
(onnxruntime's CPU arena on, glibc's malloc defaults), the arena off (``GENGUARD_ONNX_ARENA``),
and the arena off with the malloc thresholds fixed (``genguard.allocator``; both are the
defaults now). Bar: 600 MB after the edits.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

_CHILD = r'''
import glob, io, json, sys, tempfile
from pathlib import Path
from PIL import Image
from genguard.config import Settings
from genguard.guard import Guard
from genguard.request import ImageInput, Request, RequestKind
from genguard.store.db import open_store

def rss():
    def status(pid):
        return {l.split(':')[0]: int(l.split()[1]) for l in open(f'/proc/{pid}/status') if l.startswith(('VmRSS', 'VmHWM'))}
    children = [int(c) for f in glob.glob('/proc/self/task/*/children') for c in open(f).read().split()]
    me = status('self')
    return (me['VmRSS'] + sum(status(c)['VmRSS'] for c in children)) / 1024, me['VmHWM'] / 1024

edits, images = int(sys.argv[1]), Path(sys.argv[2])
portraits = sorted(p for p in images.glob('portraits/*') if 'adult' in p.name or 'portrait_20' in p.name or 'usn' in p.name)
bases = [Image.open(p).convert('RGB') for p in portraits]
with tempfile.TemporaryDirectory() as tmp:
    guard = Guard(Settings(home=Path(tmp)), store=open_store(f'sqlite:///{tmp}/m.db'))
    guard.load()
    from genguard.api.app import create_app
    create_app()
    idle = rss()
    for i in range(edits):
        im = bases[i % len(bases)]
        k = i // len(bases) + 1
        w, h = im.size
        crop = im.crop((k % 7, k % 5, w - k % 3, h - k % 11))
        scale = 1024 / max(crop.size)
        crop = crop.resize((round(crop.width * scale), round(crop.height * scale)))
        buf = io.BytesIO(); crop.save(buf, 'JPEG', quality=85 + k % 10)
        guard.screen(Request(kind=RequestKind.EDIT, prompt='put a hat on this person',
                             sources=[ImageInput(data=buf.getvalue())]))
    after = rss()
    print(json.dumps({'idle': idle[0], 'after': after[0], 'peak': after[1]}))
'''


CONFIGS = {
    "before: arena on, glibc defaults": {"GENGUARD_ONNX_ARENA": "on", "GENGUARD_MALLOC_TUNE": "off"},
    "arena off": {"GENGUARD_ONNX_ARENA": "off", "GENGUARD_MALLOC_TUNE": "off"},
    "arena off + malloc thresholds (default)": {"GENGUARD_ONNX_ARENA": "off", "GENGUARD_MALLOC_TUNE": "on"},
}


def measure(edits: int, settings: dict[str, str]) -> dict[str, float]:
    images = Path(__file__).resolve().parents[2] / "shared" / "data" / "images"
    env = {**os.environ, **settings}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(edits), str(images)], env=env,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()
    table = Table("configuration", "RSS idle MB", f"RSS after {args.edits} edits MB", "parent peak MB",
                  "bar", title="service memory, child processes included")
    for name, settings in CONFIGS.items():
        got = measure(args.edits, settings)
        table.add_row(name, f"{got['idle']:.0f}", f"{got['after']:.0f}",
                      f"{got['peak']:.0f}", "≤ 600 MB after")
    Console().print(table)


if __name__ == "__main__":
    main()
