"""Runtime settings, read from ``GENGUARD_*`` environment variables with safe defaults.

This is the only module that reads the environment (docs/configuration.md lists every
variable): services take their values from a :class:`Settings`, so a test or an embedding
application configures genguard by building one, never by setting variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from genguard.errors import GenguardError


class ConfigError(GenguardError):
    """A ``GENGUARD_*`` variable holds a value that cannot be read (named in the message)."""

    code = "config_invalid"
    status = 500


def _env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value; unset or empty means ``default``."""
    return os.environ.get(name) or default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None


def _env_opt_float(name: str) -> float | None:
    """A number, or None (unset: the owning service's default applies)."""
    return _env_float(name, 0.0) if os.environ.get(name) else None


def _env_hosts(name: str) -> frozenset[str]:
    raw = os.environ.get(name, "")
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name) or default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _env_path(name: str) -> Path | None:
    raw = os.environ.get(name)
    return Path(raw) if raw else None


def _env_opt_int(name: str) -> int | None:
    return _env_int(name, 0) if os.environ.get(name) else None


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
    #: How a generation prompt's "Negative prompt:" / "--no" section is read: "honoured" (the
    #: generator leaves those things out, as Stable Diffusion front ends and Midjourney do: sexual
    #: words there are dropped, clothing words mean undressing) or "literal" (every word counts as
    #: asked for: for a generator that ignores the syntax and would draw them). docs/screening.md.
    negative_prompts: str = field(
        default_factory=lambda: _env_choice("GENGUARD_NEGATIVE_PROMPTS", "honoured", ("honoured", "literal"))
    )
    #: PEM file of the root certificates whose C2PA signers count as trusted when a manifest is
    #: read (``provenance``); unset: every signer is "untrusted" (its claims still raise risk).
    c2pa_trust_anchors: Path | None = field(default_factory=lambda: _env_path("GENGUARD_C2PA_TRUST_ANCHORS"))
    #: The operator's C2PA signing chain and key (PEM paths) and optional RFC 3161 time-stamp
    #: authority, for manifests on allowed outputs (``provenance.ManifestSigner.from_settings``).
    c2pa_cert: Path | None = field(default_factory=lambda: _env_path("GENGUARD_C2PA_CERT"))
    c2pa_key: Path | None = field(default_factory=lambda: _env_path("GENGUARD_C2PA_KEY"))
    c2pa_tsa_url: str | None = field(default_factory=lambda: _env_str("GENGUARD_C2PA_TSA_URL"))
    media: MediaLimits = field(
        default_factory=lambda: MediaLimits(
            max_bytes=_env_int("GENGUARD_MAX_IMAGE_BYTES", MediaLimits.max_bytes),
            max_pixels=_env_int("GENGUARD_MAX_IMAGE_PIXELS", MediaLimits.max_pixels),
            max_frames=_env_int("GENGUARD_MAX_FRAMES", MediaLimits.max_frames),
            max_total_pixels=_env_int("GENGUARD_MAX_TOTAL_PIXELS", MediaLimits.max_total_pixels),
        )
    )

    # -- API process ----------------------------------------------------------------------------
    #: Heavy requests (images, batches) served at once; None: one per core, at least two.
    max_concurrent_heavy: int | None = field(default_factory=lambda: _env_opt_int("GENGUARD_MAX_CONCURRENT_HEAVY"))
    #: How long a heavy request waits for a slot before a 503 with Retry-After.
    busy_wait_s: float = field(default_factory=lambda: _env_float("GENGUARD_BUSY_WAIT_S", 10.0))
    #: The console's cookie-signing secret; None: a random one kept in ``home/console.secret``.
    console_secret: str | None = field(default_factory=lambda: _env_str("GENGUARD_CONSOLE_SECRET"), repr=False)

    # -- cases and mandatory reports (genguard.cases.settings turns these into CaseSettings) ---
    #: Seconds between the case clocks' background ticks in the API process (0: no ticker).
    cases_tick_s: float = field(default_factory=lambda: _env_float("GENGUARD_CASES_TICK_S", 30.0))
    #: None in any of the following: the case service's own default applies.
    claim_lease_s: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_CLAIM_LEASE_S"))
    #: How long a worker holds a case job or webhook before another run may take it up.
    job_lease_s: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_JOB_LEASE_S"))
    appeal_window_days: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_APPEAL_WINDOW_DAYS"))
    #: ``test`` or ``production``: written into every NCMEC/NCA report file and its name.
    report_environment: str = field(default_factory=lambda: _env_str("GENGUARD_REPORT_ENVIRONMENT", "test") or "test")
    #: The reporting organisation written into NCMEC/NCA reports (name, contact e-mail, country).
    org_name: str | None = field(default_factory=lambda: _env_str("GENGUARD_ORG_NAME"))
    org_email: str | None = field(default_factory=lambda: _env_str("GENGUARD_ORG_EMAIL"))
    org_country: str | None = field(default_factory=lambda: _env_str("GENGUARD_ORG_COUNTRY"))
    #: Case clocks in hours (and the share of a budget at which a case escalates).
    clock_take_it_down_h: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_CLOCK_TAKE_IT_DOWN_H"))
    clock_uk_intimate_h: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_CLOCK_UK_INTIMATE_H"))
    clock_csam_target_h: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_CLOCK_CSAM_TARGET_H"))
    clock_default_h: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_CLOCK_DEFAULT_H"))
    clock_escalate_at: float | None = field(default_factory=lambda: _env_opt_float("GENGUARD_CLOCK_ESCALATE_AT"))
    #: Where takedown webhooks go, and the HMAC secret that signs them (16+ characters).
    webhook_url: str | None = field(default_factory=lambda: _env_str("GENGUARD_WEBHOOK_URL"))
    webhook_secret: str = field(default_factory=lambda: _env_str("GENGUARD_WEBHOOK_SECRET", "") or "", repr=False)

    # -- how models run in this process (genguard.detectors.runtime, genguard.allocator) ----------
    #: onnxruntime provider: ``cpu``, ``cuda`` (falls back to CPU with a log line) or ``auto``.
    device: str = field(default_factory=lambda: (_env_str("GENGUARD_DEVICE", "cpu") or "cpu").strip().lower())
    #: Threads one ONNX call may use; None: the runtime's default (2). Scan workers set 1.
    onnx_threads: int | None = field(default_factory=lambda: _env_opt_int("GENGUARD_ONNX_THREADS"))
    #: Face analyses the face detector runs at once (one set of dlib landmark models each);
    #: None: one per usable core, at most four. Scan workers set 1 (a worker is one core).
    face_workers: int | None = field(default_factory=lambda: _env_opt_int("GENGUARD_FACE_WORKERS"))
    #: onnxruntime's CPU memory arena (off: buffers go back to the allocator after each run).
    onnx_arena: bool = field(default_factory=lambda: (_env_str("GENGUARD_ONNX_ARENA") or "off").strip().lower() == "on")
    #: Fix glibc's mmap/trim thresholds at load (``GENGUARD_MALLOC_TUNE=off`` keeps glibc's).
    malloc_tune: bool = field(default_factory=lambda: (_env_str("GENGUARD_MALLOC_TUNE") or "on").strip().lower() != "off")

    # -- item media fetched for reviewers (genguard.net.fetch.FetchPolicy.from_settings) ---------
    #: Hosts media URLs may point at (comma-separated, ``*.suffix`` allowed); empty: none.
    media_hosts: frozenset[str] = field(default_factory=lambda: _env_hosts("GENGUARD_MEDIA_HOSTS"))
    media_allow_http: bool = field(default_factory=lambda: _env_str("GENGUARD_MEDIA_ALLOW_HTTP") == "1")
    media_fetch_max_bytes: int = field(default_factory=lambda: _env_int("GENGUARD_MEDIA_FETCH_MAX_BYTES",
                                                                         25 * 1024 * 1024))
    media_fetch_timeout_s: float = field(default_factory=lambda: _env_float("GENGUARD_MEDIA_FETCH_TIMEOUT_S", 10.0))
    media_fetch_max_redirects: int = field(default_factory=lambda: _env_int("GENGUARD_MEDIA_FETCH_MAX_REDIRECTS", 3))
    #: A PEM file of CAs to trust instead of the system's (media storage behind a private CA).
    media_ca_bundle: str | None = field(default_factory=lambda: _env_str("GENGUARD_MEDIA_CA_BUNDLE"))
    #: Networks exempt from the private-address rule. Never read from the environment: it exists
    #: so tests can fetch from a loopback server, and a deployment leaves it empty.
    media_fetch_exempt: tuple[str, ...] = ()

    # -- TAKE IT DOWN requests from people without an account (cases.take_it_down) ------------
    public_intake: bool = field(default_factory=lambda: _env_str("GENGUARD_PUBLIC_INTAKE") == "1")
    public_intake_per_client_hour: int = field(
        default_factory=lambda: _env_int("GENGUARD_PUBLIC_INTAKE_PER_CLIENT_HOUR", 5))
    public_intake_per_hour: int = field(default_factory=lambda: _env_int("GENGUARD_PUBLIC_INTAKE_PER_HOUR", 200))
    public_intake_max_items: int = field(default_factory=lambda: _env_int("GENGUARD_PUBLIC_INTAKE_MAX_ITEMS", 20))

    # -- verdict receipts (genguard.receipts) ---------------------------------------------------
    #: The operator's Ed25519 private key (PKCS#8 PEM); None: a development key under ``home``.
    receipt_key: Path | None = field(default_factory=lambda: _env_path("GENGUARD_RECEIPT_KEY"))
    receipt_ttl_days: float = field(default_factory=lambda: _env_float("GENGUARD_RECEIPT_TTL_DAYS", 365.0))

    # -- the images gateway (genguard.gateway) and the DSA Transparency Database ---------------
    #: The gateway's own key for the upstream image service (``keys`` mode). Never logged.
    upstream_api_key: str | None = field(default_factory=lambda: _env_str("GENGUARD_UPSTREAM_API_KEY"), repr=False)
    gateway_timeout_s: float = field(default_factory=lambda: _env_float("GENGUARD_GATEWAY_TIMEOUT_S", 120.0))
    #: The platform's Transparency Database API token (``genguard reports dsa --submit``).
    dsa_tdb_token: str | None = field(default_factory=lambda: _env_str("GENGUARD_DSA_TDB_TOKEN"), repr=False)

    def resolved_database_url(self) -> str:
        """The configured URL, or an SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.home / 'genguard.db').resolve()}"
