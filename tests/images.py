"""Paths of the licensed benign test images (``<repo>/../shared``, as CI lays it out)."""

from pathlib import Path

SHARED_IMAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "images"
ADULT_PORTRAIT = SHARED_IMAGES / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"
CHILD_PORTRAITS = sorted((SHARED_IMAGES / "portraits").glob("child_fairface_*.jpg"))
