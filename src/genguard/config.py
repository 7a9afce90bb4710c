"""Runtime settings, read from ``GENGUARD_*`` environment variables with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from genguard.net.fetch import FetchPolicy


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


@dataclass(frozen=True)
class MediaLimits:
    """Bounds on what the decoder accepts; each is a defence against a hostile file."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 16_384
    max_frames: int = 32
    #: Pixels decoded for one image, all frames together: an animation may cost what the
    #: largest still may (a 126 KB GIF of 32 frames at 2000x2000 decoded 128 Mpx in 9-11 s).
    max_total_pixels: int = 50_000_000
    #: Longest side of the arrays handed to detectors; originals are kept only as hashes.
    working_side: int = 1024
    #: Video (hash banks only): longest accepted duration, most sampled frames, one frame hashed
    #: per interval (as vPDQ does), and the decoder process's wall-clock and memory bounds.
    max_video_seconds: int = 1800
    max_video_frames: int = 1800
    video_interval_s: float = 1.0
    video_timeout_s: float = 60.0
    video_memory_bytes: int = 2 * 1024**3


def default_home() -> Path:
    """``GENGUARD_HOME``, else the per-user data directory (``~/.local/share/genguard`` on
    Linux). Never relative to the working directory: a ``.genguard/`` there made a command run
    elsewhere silently use another, empty database."""
    configured = os.environ.get("GENGUARD_HOME")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("genguard", appauthor=False)


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=default_home)
    database_url: str | None = field(default_factory=lambda: os.environ.get("GENGUARD_DATABASE_URL"))
    policy: str = field(default_factory=lambda: os.environ.get("GENGUARD_POLICY", "uk-osa"))
    detector_timeout_s: float = field(
        default_factory=lambda: _env_float("GENGUARD_DETECTOR_TIMEOUT_S", 30.0)
    )
    max_text_chars: int = field(default_factory=lambda: _env_int("GENGUARD_MAX_TEXT_CHARS", 8000))
    max_history: int = field(default_factory=lambda: _env_int("GENGUARD_MAX_HISTORY", 50))
    max_images: int = field(default_factory=lambda: _env_int("GENGUARD_MAX_IMAGES", 8))
    #: PEM file of the root certificates whose C2PA signers count as trusted when a manifest is
    #: read (``provenance``); unset: every signer is "untrusted" (its claims still raise risk).
    c2pa_trust_anchors: Path | None = field(
        default_factory=lambda: Path(v) if (v := os.environ.get("GENGUARD_C2PA_TRUST_ANCHORS")) else None
    )
    #: The operator's C2PA signing chain and key (PEM paths) and optional RFC 3161 time-stamp
    #: authority, for manifests on allowed outputs (``provenance.ManifestSigner.from_settings``).
    c2pa_cert: Path | None = field(default_factory=lambda: Path(v) if (v := os.environ.get("GENGUARD_C2PA_CERT")) else None)
    c2pa_key: Path | None = field(default_factory=lambda: Path(v) if (v := os.environ.get("GENGUARD_C2PA_KEY")) else None)
    c2pa_tsa_url: str | None = field(default_factory=lambda: os.environ.get("GENGUARD_C2PA_TSA_URL") or None)
    media: MediaLimits = field(
        default_factory=lambda: MediaLimits(
            max_bytes=_env_int("GENGUARD_MAX_IMAGE_BYTES", MediaLimits.max_bytes),
            max_pixels=_env_int("GENGUARD_MAX_IMAGE_PIXELS", MediaLimits.max_pixels),
            max_frames=_env_int("GENGUARD_MAX_FRAMES", MediaLimits.max_frames),
            max_total_pixels=_env_int("GENGUARD_MAX_TOTAL_PIXELS", MediaLimits.max_total_pixels),
        )
    )

    #: What the console may fetch from item media URLs (hosts, size, time): see net/fetch.py.
    media_fetch: FetchPolicy = field(default_factory=FetchPolicy.from_env)

    def resolved_database_url(self) -> str:
        """The configured URL, or an SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.home / 'genguard.db').resolve()}"
