"""Settings: defaults < ``config.toml`` in the data folder < ``KIOSK_*`` variables < flags.

Every setting is a typed dataclass field; a value from any layer is converted to the
field's type and range-checked, and a bad one raises ``ConfigError`` naming the key
(``login.frame_interval_ms``, ``KIOSK_LOGIN_FRAME_INTERVAL_MS``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

import tomli_w

from kiosk import paths
from kiosk.fsutil import atomic_write
from kiosk.errors import ConfigError

import tomllib

CONFIG_FILE_NAME = "config.toml"
DET_SIZES = (160, 320, 480, 640, 800, 960, 1280)
DEFAULT_PROVIDERS = ("DmlExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider")
# Presentation-attack defence of a capture: ``standard`` the passive checks only, ``strict``
# the passive checks plus the head-turn challenge (figures and the trade-off: docs/capture.md).
STANDARD, STRICT, ADAPTIVE = "standard", "strict", "adaptive"
# adaptive (issue 20): the passive check alone when it is sure either way, the head turn in its grey band.
# auto: the level the model pack was measured for (``effective_security``), so changing packs never
# leaves a kiosk asking everyone to turn or skipping a band that was measured.
AUTO = "auto"
SECURITY_LEVELS = (AUTO, STANDARD, STRICT, ADAPTIVE)
# Weaker to stronger, for the settings review (a save that moves down this order is a risk to confirm).
SECURITY_ORDER = (STANDARD, ADAPTIVE, STRICT)


def effective_security(security: str, band_measured: bool) -> str:
    """The level a capture runs at: ``auto`` is ``adaptive`` with a pack whose grey band was measured, else ``standard``.

    A pack trained in context (``kiosk liveness train``, the default pack) carries a band chosen on
    held-out rooms, where ``adaptive`` beat ``standard`` on both sides (docs/capture.md); a pack without
    one would make ``adaptive`` ask every capture to turn, and ``standard`` is what it was measured at.
    """
    if security != AUTO:
        return security
    return ADAPTIVE if band_measured else STANDARD


@dataclass
class RuntimeSettings:
    """ONNX Runtime: provider preference (first available wins) and threading."""

    providers: list[str] = field(default_factory=lambda: list(DEFAULT_PROVIDERS))
    intra_op_threads: int = 0  # 0 lets ONNX Runtime decide
    det_size: int = 640  # detector input side in pixels (320 is faster, finds fewer small faces)
    det_threshold: float = 0.5


@dataclass
class CaptureProfile:
    """One capture profile (login or enroll): sampling, gates and aggregation."""

    warmup_frames: int = 5
    frame_interval_ms: int = 60
    min_valid_frames: int = 3
    max_frames: int = 30
    timeout_s: float = 8.0
    face_policy: str = "single"  # "single": exactly one face; "largest": use the largest
    min_face_px: int = 80
    max_yaw: float = 25.0
    max_pitch: float = 25.0
    min_sharpness: float = 40.0
    min_exposure: float = 50.0
    max_exposure: float = 210.0
    min_det_score: float = 0.6
    liveness: bool = True
    # The enclosing-frame cue (kiosk/engine/sheet_frame.py): a face with straight edges on 3 of
    # its 4 sides, as a held print or phone shows, is refused as a spoof, on the frames the
    # passive check runs on. Held out on real photos it found 28% of NUAA's hand-held prints and
    # refused 2 of 197 real faces in context (1.0%; 0 of 244 in development): docs/capture.md.
    # At ``standard`` and ``strict`` only: ``adaptive`` runs without it (``level_gates``).
    frame_cue: bool = True
    # "auto" (adaptive with a pack that measured its band, else standard) | "standard" | "strict" (adds the
    # head-turn challenge) | "adaptive" (the turn when unsure)
    security: str = AUTO
    challenge_yaw: float = 15.0  # degrees each head turn of the challenge must reach
    challenge_parallax: float = 0.08  # nose parallax (eye-mouth distances) a 3D head shows at that turn
    outlier_cosine: float = 0.5  # drop observations whose cosine to the provisional mean is below
    # Detector input for this profile's captures; 0: runtime.det_size. Login uses 320: a
    # sign-in face is close (min_face_px 80 is 20 px at 320 from 1280x720, SCRFD finds it)
    # and 320 makes a sign-in decide within 1.0 s (docs/benchmarks.md, issue 15).
    det_size: int = 0

    def validate(self, prefix: str) -> None:
        _require(self.det_size in DET_SIZES or self.det_size == 0, f"{prefix}.det_size", "must be 0 (runtime.det_size) or one of 160, 320, 480, 640, 800, 960, 1280")
        _require(self.warmup_frames >= 0, f"{prefix}.warmup_frames", "must be >= 0")
        _require(self.frame_interval_ms >= 0, f"{prefix}.frame_interval_ms", "must be >= 0")
        _require(self.min_valid_frames >= 1, f"{prefix}.min_valid_frames", "must be >= 1")
        _require(
            self.max_frames >= self.min_valid_frames,
            f"{prefix}.max_frames",
            "must be >= min_valid_frames",
        )
        _require(self.timeout_s > 0, f"{prefix}.timeout_s", "must be > 0")
        _require(self.security in SECURITY_LEVELS, f"{prefix}.security", "must be 'auto', 'standard', 'strict' or 'adaptive'")
        _require(self.face_policy in ("single", "largest"), f"{prefix}.face_policy", "must be 'single' or 'largest'")
        _require(self.min_face_px > 0, f"{prefix}.min_face_px", "must be > 0")
        _require(0 < self.max_yaw <= 90, f"{prefix}.max_yaw", "must be in (0, 90]")
        _require(0 < self.max_pitch <= 90, f"{prefix}.max_pitch", "must be in (0, 90]")
        _require(0 <= self.min_exposure < self.max_exposure <= 255, f"{prefix}.min_exposure", "needs 0 <= min < max <= 255")
        _require(0 <= self.min_det_score <= 1, f"{prefix}.min_det_score", "must be in [0, 1]")
        _require(-1 <= self.outlier_cosine <= 1, f"{prefix}.outlier_cosine", "must be in [-1, 1]")
        _require(0 < self.challenge_yaw < 90, f"{prefix}.challenge_yaw", "must be in (0, 90)")
        _require(0 < self.challenge_parallax < 1, f"{prefix}.challenge_parallax", "must be in (0, 1)")

    @property
    def challenge(self) -> bool:
        """Whether a capture with this profile asks for the head turn."""
        return self.security == STRICT


ProfileT = TypeVar("ProfileT", bound=CaptureProfile)


def level_gates(profile: ProfileT, level: str) -> ProfileT:
    """The gates a capture at ``level`` (``effective_security``) scores its frames with.

    ``adaptive`` runs without the enclosing-frame cue: held out on the eight context rooms, the band
    alone let 0.4% of attack captures through without a turn and asked 12.2% of one room's real
    faces to turn at worst; with the cue refusing, one room's real faces stood in a door frame were
    refused 4.1% and asked to turn 16.3%, and with the cue asking for the turn instead, 20.4% were
    asked (docs/capture.md, "The default level").
    """
    return dataclasses.replace(profile, frame_cue=False) if level == ADAPTIVE and profile.frame_cue else profile


@dataclass
class EnrollProfile(CaptureProfile):
    """The enroll profile, plus what is kept of an enrollment besides its template."""

    # A 112 px face crop per person, sealed, for the admin's screens (docs/store.md). Off:
    # no new crop is written and the stored ones are deleted when the kiosk (or any
    # ``kiosk`` command) next opens the database; recognition does not use them.
    store_face_crops: bool = True
    # Enrollment records the version and time of the consent text the person agreed to
    # (kiosk/flows/consent.py); required: no enrollment without it.
    consent_required: bool = False
    # Several looks per person (issue 24): at most this many enrolled templates (with and
    # without glasses...); identification takes the best. ``refresh_recent_look``: an accepted
    # sign-in at or above the high threshold may replace the person's one "recent" look, only
    # while it still matches the enrolled looks at that threshold (audited; off by default).
    max_looks: int = 3
    refresh_recent_look: bool = False

    def validate(self, prefix: str) -> None:
        super().validate(prefix)
        _require(1 <= self.max_looks <= 20, f"{prefix}.max_looks", "must be in [1, 20]")


# What an accepted sign-in is for: ``signin`` greets the person; ``attendance`` also records
# an IN or OUT punch (kiosk/flows/attendance.py, docs/modes.md).
SIGNIN, ATTENDANCE = "signin", "attendance"
PURPOSES = (SIGNIN, ATTENDANCE)

# How a visitor signs in (docs/modes.md, card + face): ``identify`` the face alone (1:N);
# ``verify`` an id first (badge reader or keypad), then the face 1:1 against that person;
# ``either`` the face alone, and a badge swipe switches to verify.
IDENTIFY, VERIFY, EITHER = "identify", "verify", "either"
LOGIN_MODES = (IDENTIFY, VERIFY, EITHER)


@dataclass
class LoginProfile(CaptureProfile):
    """The sign-in profile, plus how a visitor signs in and what an accepted sign-in is for."""

    mode: str = IDENTIFY  # identify | verify | either (KIOSK_LOGIN_MODE)
    # Card + face: after the face is not accepted, offer the person's own PIN (a
    # non-biometric fallback, audited as signin.fallback; the same attempt limits).
    pin_fallback: bool = False
    purpose: str = SIGNIN  # "signin" | "attendance" (KIOSK_LOGIN_PURPOSE)
    # A second punch by the same person within this many seconds records nothing and shows
    # the first one's time (a visitor who stayed in front of the camera, or came back to check).
    punch_cooldown_s: float = 120.0

    def validate(self, prefix: str) -> None:
        super().validate(prefix)
        _require(self.mode in LOGIN_MODES, f"{prefix}.mode", "must be identify, verify or either")
        _require(self.purpose in PURPOSES, f"{prefix}.purpose", "must be 'signin' or 'attendance'")
        _require(0 <= self.punch_cooldown_s <= 3600, f"{prefix}.punch_cooldown_s", "must be in [0, 3600] seconds")


def _login_profile() -> LoginProfile:
    return LoginProfile(det_size=320)


def _enroll_profile() -> EnrollProfile:
    return EnrollProfile(
        warmup_frames=5,
        frame_interval_ms=120,
        min_valid_frames=5,
        max_frames=60,
        timeout_s=20.0,
        min_face_px=100,
        max_yaw=20.0,
        max_pitch=20.0,
        min_sharpness=60.0,
        min_det_score=0.7,
        security=STRICT,  # an enrolled template is trusted for years: a photo must never become one
        outlier_cosine=0.6,
    )


@dataclass
class MatchSettings:
    """Decision bands. Thresholds come from the model pack unless overridden here."""

    high: float | None = None
    low: float | None = None
    margin: float = 0.05  # the best score must beat the runner-up by this much to accept
    duplicate: float | None = None  # enrollment duplicate check; defaults to the pack's high
    verify_high: float | None = None  # 1:1 (card + face) accept threshold; defaults to the pack's verify, else high
    # Two-stage search for large galleries (docs/store.md): rows rescored exactly after a sign-bit
    # scan (0: never, every row is scored), used once the gallery holds shortlist_from rows (there
    # the full scan costs ~20 ms on 2 cores; docs/benchmarks.md). A best score below the accept
    # threshold is always checked against every row.
    shortlist: int = 2048
    shortlist_from: int = 200_000

    def validate(self, prefix: str) -> None:
        for key in ("high", "low", "duplicate"):
            value = getattr(self, key)
            _require(value is None or -1 <= value <= 1, f"{prefix}.{key}", "must be a cosine similarity in [-1, 1] (or left to the model pack)")
        if self.verify_high is not None:
            _require(-1 <= self.verify_high <= 1, f"{prefix}.verify_high", "must be in [-1, 1]")
        if self.high is not None and self.low is not None:
            _require(self.low <= self.high, f"{prefix}.low", "must be <= high")
        _require(0 <= self.margin < 1, f"{prefix}.margin", "must be in [0, 1)")
        _require(
            self.shortlist >= 0,
            f"{prefix}.shortlist",
            "must be a whole number of rows: 0 (score every row) or e.g. 2048 for a million templates",
        )
        _require(
            self.shortlist_from >= 0,
            f"{prefix}.shortlist_from",
            "must be a whole number of templates: the gallery size from which the shortlist is used, "
            "e.g. 200000 (0: any size; to never use it set shortlist = 0)",
        )


VIRTUAL_CAMERAS = (
    "OBS Virtual Camera", "OBS-Camera", "ManyCam", "Snap Camera", "XSplit VCam", "DroidCam", "e2eSoft", "VCam",
    "v4l2loopback", "Dummy video device", "Iriun", "EpocCam", "NDI Webcam", "CamTwist", "SplitCam", "AlterCam",
    "YouCam", "Virtual Camera", "Virtual Webcam",
)  # fmt: skip


@dataclass
class CameraSettings:
    """The kiosk camera: an index, a video file or a folder of images."""

    source: str = "0"
    backend: str = "auto"  # auto | dshow | msmf | v4l2 | any
    width: int = 1280
    height: int = 720
    fps: int = 30
    # Rest and wake (kiosk/capture/rest.py): after this long without a face the login
    # capture analyzes one frame per rest_interval_ms (0: never rest); a change on at
    # least wake_fraction of a small grey copy of the frame wakes it to the profile's rate.
    rest_after_s: float = 5.0
    rest_interval_ms: int = 1000
    wake_fraction: float = 0.02
    # While resting the preview shows this many frames a second (0: every frame): the scene is
    # still by then, and the first change wakes it to the camera's rate (issue 15).
    rest_preview_fps: int = 15
    # Virtual cameras can play a recording as a live face (kiosk/capture/devices.py): a camera whose
    # name contains one of these (any case) is refused unless its exact name is in allowed_names.
    blocked_names: list[str] = field(default_factory=lambda: list(VIRTUAL_CAMERAS))
    allowed_names: list[str] = field(default_factory=list)

    def validate(self, prefix: str) -> None:
        _require(self.rest_after_s >= 0, f"{prefix}.rest_after_s", "must be >= 0 (0 never rests)")
        _require(self.rest_interval_ms >= 50, f"{prefix}.rest_interval_ms", "must be >= 50")
        _require(0 < self.wake_fraction <= 1, f"{prefix}.wake_fraction", "must be in (0, 1]")
        _require(self.rest_preview_fps >= 0, f"{prefix}.rest_preview_fps", "must be >= 0 (0: every frame)")
        _require(self.backend in ("auto", "dshow", "msmf", "v4l2", "any"), f"{prefix}.backend", "must be auto, dshow, msmf, v4l2 or any")
        _require(self.width > 0 and self.height > 0, f"{prefix}.width", "must be > 0")
        _require(self.fps > 0, f"{prefix}.fps", "must be > 0")


@dataclass
class UISettings:
    language: str = "auto"  # auto | en | ko
    idle_timeout_s: int = 60
    result_seconds: float = 4.0
    fullscreen: bool = True
    hide_cursor: bool = False

    def validate(self, prefix: str) -> None:
        _require(self.language in ("auto", "en", "ko"), f"{prefix}.language", "must be auto, en or ko")
        _require(self.idle_timeout_s >= 5, f"{prefix}.idle_timeout_s", "must be >= 5")


@dataclass
class EventsSettings:
    """The event outbox and its sinks (see docs/events.md). Sink problems (a URL that does
    not parse, a webhook without a secret, a missing command) are checked by
    ``kiosk.events.config.problems`` rather than ``validate``: a bad sink is reported at
    start and by ``kiosk doctor`` while the kiosk keeps serving sign-ins."""

    kiosk_name: str = ""  # "" = the host name
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_ca_file: Path | None = None  # None = the system certificate store
    webhook_allow_http: bool = False  # plain http:// to a host other than loopback
    webhook_timeout_s: float = 5.0
    command: list[str] = field(default_factory=list)  # program and arguments, run without a shell
    command_timeout_s: float = 10.0
    jsonl_path: Path | None = None
    jsonl_max_bytes: int = 10_000_000  # rotated to <path>.1 ... beyond this size
    jsonl_keep: int = 5
    max_age_days: float = 30.0  # undelivered events older than this are dropped (and reported)
    max_count: int = 100_000
    retry_base_s: float = 1.0  # first retry delay; doubles per failure, with jitter
    retry_max_s: float = 300.0
    heartbeat_min: float = 5.0  # a kiosk.heartbeat event this often (0: none); kiosk/flows/heartbeat.py
    silent_after_min: float = 15.0  # `kiosk fleet status` names a kiosk not seen for longer


STATS_MAX_DAYS = 90  # kiosk/store/stats.py RETENTION_DAYS: the dashboard and `kiosk report` need no more


@dataclass
class RetentionSettings:
    """How long rows are kept, in days (0: forever); a purge applies them at start and daily
    (kiosk/flows/retention.py, docs/store.md "Privacy"). Delivered events go after
    ``events.max_age_days``: that setting is the events' retention, not repeated here."""

    audit_days: int = 0
    stats_days: int = STATS_MAX_DAYS  # sign-in statistics and camera spans; never more than 90
    punches_days: int = 0

    def validate(self, prefix: str) -> None:
        _require(self.audit_days >= 0, f"{prefix}.audit_days", "must be >= 0 (0 keeps them forever)")
        _require(1 <= self.stats_days <= STATS_MAX_DAYS, f"{prefix}.stats_days", f"must be in [1, {STATS_MAX_DAYS}] (statistics are never kept longer)")
        _require(self.punches_days >= 0, f"{prefix}.punches_days", "must be >= 0 (0 keeps them forever)")


@dataclass
class Settings:
    """Everything configurable. ``models`` is a pack folder (None: look it up)."""

    data_dir: Path = field(default_factory=paths.data_dir)
    models: Path | None = None
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)
    login: LoginProfile = field(default_factory=_login_profile)
    enroll: EnrollProfile = field(default_factory=_enroll_profile)
    match: MatchSettings = field(default_factory=MatchSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    ui: UISettings = field(default_factory=UISettings)
    events: EventsSettings = field(default_factory=EventsSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)

    SECTIONS = ("runtime", "login", "enroll", "match", "camera", "ui", "events", "retention")

    def validate(self) -> None:
        for name in self.SECTIONS:
            section = getattr(self, name)
            if hasattr(section, "validate"):
                section.validate(name)
        _require(self.runtime.det_size in DET_SIZES, "runtime.det_size", "must be a multiple of 32 between 160 and 1280 (e.g. 320 or 640)")

    def profile(self, name: str) -> CaptureProfile:
        if name not in ("login", "enroll"):
            raise ConfigError(f"unknown capture profile {name!r}: use 'login' or 'enroll'")
        return self.login if name == "login" else self.enroll

    @property
    def config_path(self) -> Path:
        return self.data_dir / CONFIG_FILE_NAME

    def to_toml_dict(self) -> dict[str, Any]:
        """The sections as written to ``config.toml`` (``None`` values omitted). Paths are written
        absolute: a relative one would be read against whatever folder the kiosk starts in next
        (issue 21: started elsewhere, the kiosk lost its model pack)."""
        out: dict[str, Any] = {}
        if self.models is not None:
            out["models"] = _absolute(self.models)
        for name in self.SECTIONS:
            out[name] = {k: _absolute(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(getattr(self, name)).items() if v is not None}
        return out


def _absolute(path: Path) -> str:
    """The path as it resolves now (from the current folder), without following links."""
    return str(Path(os.path.abspath(path.expanduser())))


def _require(ok: bool, key: str, why: str) -> None:
    if not ok:
        raise ConfigError(f"invalid setting {key}: {why}")


def _coerce(value: Any, hint: Any, key: str) -> Any:
    """Convert a TOML or environment value to the field's declared type."""
    text = hint.__name__ if isinstance(hint, type) else str(hint).replace("typing.", "")
    try:
        if hint is bool or text == "bool":
            if isinstance(value, bool):
                return value
            lowered = str(value).strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if "list" in text:
            if isinstance(value, list):
                return [str(v) for v in value]
            return [part.strip() for part in str(value).split(",") if part.strip()]
        if "None" in text and (value is None or str(value).strip().lower() in ("", "none")):
            return None
        if "float" in text:
            return float(value)
        if "int" in text:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if "Path" in text:
            return Path(str(value)).expanduser()
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"invalid setting {key}: {value!r} is not a valid {text}") from None


def _apply_section(section: Any, values: Mapping[str, Any], prefix: str) -> None:
    hints = get_type_hints(type(section))
    names = {f.name for f in fields(section)}
    for key, value in values.items():
        if key not in names:
            raise ConfigError(f"unknown setting {prefix}.{key}")
        setattr(section, key, _coerce(value, hints[key], f"{prefix}.{key}"))


def apply_mapping(settings: Settings, data: Mapping[str, Any], origin: str) -> None:
    """Apply a nested mapping (as read from TOML) onto ``settings``."""
    for key, value in data.items():
        if key == "models":
            settings.models = None if value in (None, "") else Path(str(value)).expanduser()
        elif key in Settings.SECTIONS and isinstance(value, Mapping):
            _apply_section(getattr(settings, key), value, key)
        else:
            raise ConfigError(f"unknown setting {key!r} in {origin}")


def apply_environment(settings: Settings, environ: Mapping[str, str]) -> None:
    """``KIOSK_<SECTION>_<KEY>`` sets ``section.key``; ``KIOSK_MODELS`` the pack folder."""
    if environ.get("KIOSK_MODELS"):
        settings.models = Path(environ["KIOSK_MODELS"]).expanduser()
    for name in Settings.SECTIONS:
        section = getattr(settings, name)
        hints = get_type_hints(type(section))
        for f in fields(section):
            var = f"KIOSK_{name}_{f.name}".upper()
            if var in environ:
                setattr(section, f.name, _coerce(environ[var], hints[f.name], var))


def load_settings(
    *,
    data_dir: Path | None = None,
    environ: Mapping[str, str] = os.environ,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the effective settings; ``overrides`` are the command-line flags (dotted keys)."""
    settings = Settings(data_dir=data_dir or paths.data_dir(environ))
    cfg = settings.config_path
    if cfg.is_file():
        try:
            data = tomllib.loads(cfg.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {cfg}: {exc}") from None
        apply_mapping(settings, data, str(cfg))
    apply_environment(settings, environ)
    for dotted, value in (overrides or {}).items():
        if value is None:
            continue
        if dotted == "models":
            settings.models = Path(str(value)).expanduser()
            continue
        section_name, _, key = dotted.partition(".")
        if section_name not in Settings.SECTIONS:
            raise ConfigError(f"unknown setting {dotted}")
        _apply_section(getattr(settings, section_name), {key: value}, section_name)
    settings.validate()
    return settings


def save_settings(settings: Settings) -> Path:
    """Write ``config.toml`` atomically, so a crash never leaves half a file."""
    settings.validate()
    target = settings.config_path
    # Owner-only once it holds the webhook secret (set on the settings screen).
    mode = 0o600 if settings.events.webhook_secret else 0o644
    atomic_write(target, tomli_w.dumps(settings.to_toml_dict()).encode("utf-8"), mode=mode)
    return target
