"""Build the PyInstaller bundle with kiosk.spec once, then run the frozen kiosk as a user would.

A frozen-only failure (a module PyInstaller missed, a Qt plugin, a data file, the bundled
model pack not found) shows up here and nowhere else. The build takes about a minute;
makensis then checks the installer script with this Linux bundle as its payload (that
proves the script compiles and finds its files, not that the installer works on Windows).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kiosk

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
HAMILTON = "short_hamilton_clip.mp4"
COOPERATIVE_FROM = 82  # from tests/capture: one man faces the camera from frame ~82


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, models_dir) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "KIOSK_BUNDLE_MODELS": str(models_dir)}
    log = out / "pyinstaller.log"
    started = time.monotonic()
    with open(log, "w") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(out / "dist"), "--workpath", str(out / "work"), str(REPO / "kiosk.spec")],
            cwd=REPO,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    tail = log.read_text(errors="replace")[-4000:]
    assert proc.returncode == 0, f"PyInstaller failed:\n{tail}"
    print(f"bundle built in {time.monotonic() - started:.0f} s")
    return out / "dist" / "kiosk"


@pytest.fixture
def frozen_env(tmp_path) -> dict[str, str]:
    """A user's environment: no KIOSK_MODELS (the bundled pack must be found), a fresh data folder."""
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_MODELS"}
    env["KIOSK_DATA_DIR"] = str(tmp_path / "data")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(bundle: Path, exe: str, args: list[str], env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([str(bundle / f"{exe}{EXE_SUFFIX}"), *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def bundled_pack(models_dir):
    from kiosk.engine.pack import load_pack

    return load_pack(models_dir)


def test_version(bundle, frozen_env):
    proc = run(bundle, "kiosk", ["--version"], frozen_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"kiosk {kiosk.__version__}"


def test_layout_has_what_the_kiosk_loads_and_not_what_it_excludes(bundle, bundled_pack):
    internal = bundle / "_internal"
    for exe in ("kiosk", "kiosk-gui"):
        assert os.access(bundle / f"{exe}{EXE_SUFFIX}", os.X_OK), exe
    assert not (internal / "insightface").exists()  # SCRFD decoding is kiosk.engine.scrfd
    assert (internal / "resources" / "translations" / "kiosk_ko.qm").is_file()
    assert (internal / "resources" / "styles" / "kiosk.qss").is_file()
    shipped = {p.name for p in (internal / "resources" / "models" / bundled_pack.name).iterdir()}
    assert shipped == {f.file for f in bundled_pack.files}
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    native = "qwindows.dll" if sys.platform == "win32" else "libqxcb.so"
    offscreen = "qoffscreen.dll" if sys.platform == "win32" else "libqoffscreen.so"
    assert {native, offscreen} <= platforms
    for unused in ("matplotlib", "scipy", "skimage", "sklearn", "albumentations", "tkinter", "PIL", "yaml"):
        assert not (internal / unused).exists(), f"{unused} was bundled"
    qt_catalogues = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert "qtbase_ko.qm" in qt_catalogues and "qtbase_de.qm" not in qt_catalogues


def test_doctor_finds_the_bundled_pack_without_configuration(bundle, frozen_env, bundled_pack):
    proc = run(bundle, "kiosk", ["doctor", "--cameras", "0", "--json"], frozen_env)
    report = json.loads(proc.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert proc.returncode == 0 and report["ok"], proc.stdout + proc.stderr
    assert "(bundled)" in checks["python"]["detail"]
    assert bundled_pack.id in checks["model pack"]["detail"]
    assert str(bundle / "_internal" / "resources" / "models" / bundled_pack.name) in checks["model pack"]["detail"]
    assert checks["models load"]["status"] == "ok"


def test_capture_from_a_video_matches_the_source_checkout(bundle, frozen_env, bundled_pack, models_dir, videos_dir):
    args = ["capture", "--source", str(videos_dir / HAMILTON), "--profile", "login", "--skip", str(COOPERATIVE_FROM), "--json"]
    frozen = run(bundle, "kiosk", args, frozen_env)
    assert frozen.returncode == 0, frozen.stderr
    result = json.loads(frozen.stdout)
    assert result["pack"] == bundled_pack.id
    assert result["result"]["outcome"] == "ok"
    assert result["result"]["template"]["size"] == bundled_pack.embedding_size
    assert result["result"]["liveness"]["passed"] is True

    source_env = {**frozen_env, "KIOSK_MODELS": str(models_dir)}
    source = subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=REPO, env=source_env, capture_output=True, text=True, timeout=180)
    assert source.returncode == 0, source.stderr
    expected = json.loads(source.stdout)
    for doc in (result, expected):
        doc["result"].pop("elapsed_s")
    assert result == expected  # same frames, scores, gates and outcome as unfrozen


@pytest.mark.parametrize(("exe", "prefix"), [("kiosk", ["-v", "run"]), ("kiosk-gui", [])])
def test_gui_starts_offscreen_in_korean_and_quits(bundle, frozen_env, videos_dir, exe, prefix):
    """``kiosk run`` and the windowed ``kiosk-gui`` (= ``kiosk run``) reach a live camera."""
    frozen_env["KIOSK_UI_LANGUAGE"] = "ko"
    args = [*prefix, "--windowed", "--quit-after", "4", "--camera", str(videos_dir / HAMILTON)]
    proc = run(bundle, exe, args, frozen_env)
    assert proc.returncode == 0, proc.stderr
    problems = [line for line in proc.stderr.splitlines() if line.startswith(("WARNING", "ERROR", "CRITICAL", "Traceback"))]
    assert not problems, proc.stderr  # e.g. "no ko translation found", "models failed to load"
    if "-v" in prefix:
        assert "camera live" in proc.stderr, proc.stderr
    assert (Path(frozen_env["KIOSK_DATA_DIR"]) / "kiosk.db").is_file()  # it opened the encrypted store


def test_report_draws_its_charts_frozen(bundle, frozen_env, tmp_path, monkeypatch):
    """pyqtgraph is imported only when a chart is drawn: this is where a missed module would show."""
    import datetime as dt
    import secrets

    from kiosk.store import stats
    from kiosk.store.db import Database
    from kiosk.store.keys import key_store_for

    frozen_env["KIOSK_DB_KEY"] = secrets.token_hex(32)
    monkeypatch.setenv("KIOSK_DB_KEY", frozen_env["KIOSK_DB_KEY"])  # this process writes what the frozen one reads
    path = Path(frozen_env["KIOSK_DATA_DIR"]) / "kiosk.db"
    db = Database.open(path, key_store_for(path))
    with db.transaction():
        now = dt.datetime.now(dt.UTC)
        for i, outcome in enumerate(("accept", "accept", "retry")):
            time = (now - dt.timedelta(seconds=10 * (i + 1))).isoformat(timespec="microseconds")
            stats.record_signin(db, outcome, decision_ms=500 + 100 * i, frames_analyzed=4, rejected={"blurry": 1}, time=time)
    db.close()
    target = tmp_path / "trends.html"
    proc = run(bundle, "kiosk", ["report", "--html", str(target)], frozen_env)
    assert proc.returncode == 0, proc.stderr
    page = target.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3 and "<td>Accepted</td><td>2</td>" in page


@pytest.mark.parametrize("with_vcredist", [False, True], ids=["plain", "with-vc-redist"])
def test_installer_script_compiles_with_the_bundle_as_payload(bundle, tmp_path, with_vcredist):
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.fail("makensis not found: install NSIS (Debian: apt-get install nsis)")
    out = tmp_path / f"FaceKiosk-{kiosk.__version__}-check.exe"  # a name with "setup" alone warns (9000)
    cmd = [makensis, "-V2", "-WX", "-DNOCOMPRESS", f"-DVERSION={kiosk.__version__}", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}"]
    if with_vcredist:
        stand_in = tmp_path / "vc_redist.x64.exe"  # makensis only embeds it; any file checks the script
        stand_in.write_bytes(b"MZ stand-in")
        cmd.append(f"-DVCREDIST={stand_in}")
    proc = subprocess.run([*cmd, str(REPO / "installer" / "kiosk.nsi")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # -WX: a warning fails too
    payload = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert out.read_bytes()[:2] == b"MZ"
    assert out.stat().st_size > payload  # uncompressed: every bundle file went in
