"""``kiosk doctor``: can this machine run the kiosk? One line per check, ok/warn/FAIL."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass

from kiosk import __version__
from kiosk.capture.devices import CameraDevice, list_cameras
from kiosk.cli.context import CliContext, emit_json
from kiosk.config import ADAPTIVE, AUTO, CameraSettings, Settings, effective_security, level_gates
from kiosk.engine.pack import Thresholds
from kiosk.errors import KioskError

MIN_FREE_BYTES = 200 * 1024 * 1024


@dataclass
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("doctor", help="check Python, ONNX Runtime, the model pack, cameras and the data folder")
    p.add_argument("--json", action="store_true")
    p.add_argument("--cameras", type=int, default=2, metavar="N", help="probe camera indices 0..N-1 (0 to skip)")
    p.set_defaults(func=cmd_doctor)


def check_python() -> Check:
    frozen = " (bundled)" if getattr(sys, "frozen", False) else ""
    return Check("python", "ok", f"kiosk {__version__}, Python {platform.python_version()}{frozen} on {platform.platform()}")


def check_runtime(ctx: CliContext) -> Check:
    import onnxruntime as ort

    from kiosk.engine.providers import choose_providers

    available = ort.get_available_providers()
    try:
        chosen = choose_providers(ctx.settings.runtime.providers, available)
    except KioskError as exc:
        return Check("onnxruntime", "fail", str(exc))
    status = "ok" if chosen[0] != "CPUExecutionProvider" or sys.platform != "win32" else "warn"
    return Check("onnxruntime", status, f"{ort.__version__}; available {', '.join(available)}; will use {', '.join(chosen)}")


def check_pack(ctx: CliContext) -> list[Check]:
    try:
        pack = ctx.pack
    except KioskError as exc:
        return [Check("model pack", "fail", str(exc))]
    checks = [Check("model pack", "ok", f"{pack.id} at {pack.root} verified ({len(pack.files)} files, {pack.embedding_size}-d)")]
    if not pack.calibrated:
        checks.append(Check("thresholds", "warn", "pack not calibrated: run `kiosk models calibrate`"))
    try:
        analyzer = ctx.analyzer
    except KioskError as exc:
        checks.append(Check("models load", "fail", str(exc)))
        return checks
    used = ", ".join(f"{role} on {provider}" for role, provider in analyzer.providers.items())
    checks.append(Check("models load", "ok", f"loaded and warmed in {analyzer.load_seconds:.2f} s: {used}"))
    checks.extend(Check("provider", "warn", f"{role}: {why}") for role, why in analyzer.fallbacks.items())
    return checks


def check_security(settings: Settings, thresholds: Thresholds) -> list[Check]:
    """The presentation-attack level each capture runs with this pack (``config.effective_security``).

    ``adaptive`` chosen by name on a pack without a measured band asks every capture to turn, as
    ``strict`` does: allowed, but worth a warning, since ``auto`` would run ``standard`` there.
    """
    checks = []
    for name in ("login", "enroll"):
        profile = settings.profile(name)
        runs = effective_security(profile.security, thresholds.band_measured)
        how = f"{profile.security} (runs {runs} with this pack)" if profile.security == AUTO else runs
        if runs == ADAPTIVE and not thresholds.band_measured:
            checks.append(Check("security", "warn", f"{name}: adaptive on a pack without a measured band asks every capture to turn; auto would run standard"))
        elif not profile.liveness:
            checks.append(Check("security", "warn", f"{name}: {how}, but the photo-and-screen check is off"))
        else:
            band = f", band {thresholds.liveness_low:.2f} .. {thresholds.liveness_high:.2f}" if runs == ADAPTIVE and thresholds.band_measured else ""
            cue = ", enclosing-frame cue on" if level_gates(profile, runs).frame_cue else ""
            checks.append(Check("security", "ok", f"{name}: {how}, liveness {thresholds.liveness:.2f}{band}{cue}"))
    return checks


def check_running_kiosk(ctx: CliContext) -> list[Check]:
    """What the kiosk last wrote about its models (it may have moved one to CPU while running)."""
    from kiosk.engine.runtime_report import read_report

    report = read_report(ctx.settings.data_dir)
    if report is None:
        return []
    return [Check("kiosk models", "warn" if report.fallbacks else "ok", report.describe())]


def check_cameras(ctx: CliContext, count: int) -> Check:
    if count <= 0:
        return Check("cameras", "ok", "not probed")
    from kiosk.capture.sources import CameraSource
    from kiosk.errors import CameraError

    found = []
    for index in range(count):
        camera = CameraSource(index, ctx.settings.camera)
        try:
            camera.open()
        except CameraError:
            continue
        found.append(camera.describe())
        camera.close()
    if found:
        return Check("cameras", "ok", "found " + ", ".join(found))
    return Check("cameras", "warn", f"no camera answered at indices 0..{count - 1}; a video file or folder can stand in (--camera)")


def check_camera_names(camera: CameraSettings, devices: list[CameraDevice] | None) -> list[Check]:
    """Each camera the system names, and whether the kiosk would use it (kiosk/capture/devices.py);
    the configured camera refused is a failure, another refused one a warning."""
    from kiosk.capture.devices import refusal

    if devices is None:
        return [Check("camera names", "warn", "this system gives no camera names to the kiosk: cameras are chosen by index, none is refused by name")]
    if not devices:
        return [Check("camera names", "ok", "no camera listed by the system")]
    checks = []
    for device in devices:
        why = refusal(device, camera)
        chosen = camera.source.strip().casefold() in (str(device.index), device.name.strip().casefold())
        status = "ok" if why is None else "fail" if chosen else "warn"
        verdict = "allowed" if why is None else f"refused: {why}"
        checks.append(Check("camera", status, f"{device.index} {device.name!r}{' (camera.source)' if chosen else ''}: {verdict}"))
    return checks


def check_data_dir(ctx: CliContext) -> Check:
    folder = ctx.settings.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", delete=True) as fh:
            fh.write(b"ok")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return Check("data folder", "fail", f"{folder} is not writable: {exc.strerror or exc}")
    free = shutil.disk_usage(folder).free
    status = "ok" if free >= MIN_FREE_BYTES else "warn"
    return Check("data folder", status, f"{folder} writable, {free / 1e9:.1f} GB free")


def check_events(ctx: CliContext) -> list[Check]:
    """Each event sink's configuration; a bad one fails here (the kiosk itself runs on without it)."""
    from kiosk.events.config import setup

    found = setup(ctx.settings.events)
    checks = [Check("events", "fail", str(problem)) for problem in found.problems]
    if found.sinks:
        checks.append(Check("events", "ok", "sinks: " + ", ".join(s.describe() for s in found.sinks)))
    elif not found.problems:
        checks.append(Check("events", "ok", "no sink configured (events are kept in the outbox)"))
    return checks


def cmd_doctor(ctx: CliContext) -> int:
    checks = [check_python()]
    try:
        _ = ctx.settings  # loading them is the check
    except KioskError as exc:
        checks.append(Check("settings", "fail", str(exc)))
    else:
        checks.append(check_runtime(ctx))
        checks.extend(check_pack(ctx))
        if not any(c.status == "fail" for c in checks):
            checks.extend(check_security(ctx.settings, ctx.pack.thresholds))
        checks.extend(check_running_kiosk(ctx))
        checks.append(check_cameras(ctx, ctx.args.cameras))
        checks.extend(check_camera_names(ctx.settings.camera, list_cameras()))
        checks.append(check_data_dir(ctx))
        checks.extend(check_events(ctx))
    failed = any(c.status == "fail" for c in checks)
    if ctx.args.json:
        emit_json({"ok": not failed, "checks": [asdict(c) for c in checks]})
    else:
        for c in checks:
            label = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}[c.status]
            print(f"{label}  {c.name:<12} {c.detail}")
    return 1 if failed else 0
