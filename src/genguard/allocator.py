"""Hand freed native memory back to the system, so a long-running process stays near its working set.

Screening a 1024-px image allocates tens of MB of short-lived native buffers (decoded pixels,
model activations, dlib's pyramids). glibc's malloc raises its mmap threshold once such a block
is freed, so later ones come from the heap and stay there: the service grew from ~490 MB idle to
~715 MB after 100 distinct edits, of which ``malloc_trim`` could give back 120 MB. Fixing the
mmap and trim thresholds at 256 KiB makes large buffers mapped and unmapped as they come and go
(549 MB after the same 100 edits; docs/benchmarks.md, "Memory").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

#: ``mallopt`` parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Blocks at least this large are mmapped, and free memory above it at the heap's top is returned.
THRESHOLD = 256 * 1024
#: ``GENGUARD_MALLOC_TUNE=off`` leaves glibc's defaults.
ENV = "GENGUARD_MALLOC_TUNE"

_tuned: bool | None = None


def tune(enabled: bool = True) -> bool:
    """Fix glibc's mmap and trim thresholds (once per process); False where not glibc or not
    ``enabled`` (``Settings.malloc_tune``, ``GENGUARD_MALLOC_TUNE=off``)."""
    global _tuned  # noqa: PLW0603 - a process-wide setting, applied once
    if _tuned is not None:
        return _tuned
    _tuned = False
    if not enabled:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl, macOS: no glibc malloc to tune
        return False
    _tuned = bool(mallopt(_M_MMAP_THRESHOLD, THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, THRESHOLD))
    if not _tuned:
        log.warning("mallopt refused the memory thresholds; native memory may be held after use")
    return _tuned
