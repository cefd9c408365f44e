"""What goes into the bundle and the installer, checked without running PyInstaller (seconds).

The slow end-to-end check, a real build run from its folder, is ``test_bundle.py``.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

import kiosk
from kiosk import paths

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def support():
    return load("spec_support")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("1.10.0rc2", (1, 10, 0, 0))],
)
def test_version_tuple_gives_the_four_windows_fields(support, text, expected):
    assert support.version_tuple(text) == expected


@pytest.mark.parametrize("text", ["dev", "", "1.70000.0"])
def test_version_tuple_refuses_what_windows_cannot_hold(support, text):
    with pytest.raises(ValueError):
        support.version_tuple(text)


def walk(node):
    """Every recorded constructor call in a nested (kind, args, kwargs) tree."""
    if isinstance(node, tuple) and len(node) == 3 and isinstance(node[0], str):
        yield node
        children = [*node[1], *node[2].values()]
    elif isinstance(node, list):
        children = node
    else:
        return
    for child in children:
        yield from walk(child)


def test_version_resource_is_rendered_from_the_package_version(support, tmp_path):
    out = support.render_version_info(kiosk.__version__, "kiosk-gui", "Face Kiosk", tmp_path / "v.txt")
    text = out.read_text(encoding="utf-8")
    assert "@" not in text

    # PyInstaller evaluates the file with its versioninfo classes (Windows-only: they need
    # pefile); recording stand-ins check the same expression here.
    def record(kind):
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo", "VarStruct"]
    tree = eval(text, {n: record(n) for n in names})  # noqa: S307 - our own template
    ffi = tree[2]["ffi"][2]
    assert ffi["filevers"] == ffi["prodvers"] == support.version_tuple(kiosk.__version__)
    strings = dict(s[1] for s in walk(tree) if s[0] == "StringStruct")
    assert strings["FileVersion"] == strings["ProductVersion"] == kiosk.__version__
    assert strings["OriginalFilename"] == "kiosk-gui.exe"
    assert strings["ProductName"] == "Face Kiosk"


def test_resources_ship_compiled_parts_only(support, tmp_path):
    res = tmp_path / "resources"
    for rel in ["styles/kiosk.qss", "packs/p/pack.toml", "translations/kiosk_ko.ts", "translations/kiosk_ko.qm", "models/p/x.onnx", "icons/kiosk.ico"]:
        (res / rel).parent.mkdir(parents=True, exist_ok=True)
        (res / rel).write_text("x")
    shipped = {(Path(src).relative_to(res).as_posix(), dest) for src, dest in support.resource_datas(res)}
    assert shipped == {
        ("styles/kiosk.qss", "resources/styles"),
        ("packs/p/pack.toml", "resources/packs/p"),
        ("icons/kiosk.ico", "resources/icons"),
    }


def test_real_resources_include_icon_style_and_manifests(support):
    dests = {Path(src).name: dest for src, dest in support.resource_datas()}
    assert dests["kiosk.ico"] == "resources/icons"
    assert dests["kiosk.qss"] == "resources/styles"
    assert dests["pack.toml"].startswith("resources/packs/")


def test_translations_are_compiled_at_build_time(support, tmp_path):
    datas = support.translation_datas(tmp_path)
    ts_files = sorted((paths.resources_dir() / "translations").glob("*.ts"))
    assert ts_files, "the UI's translation sources are missing"
    assert [Path(src).name for src, _ in datas] == [f"{ts.stem}.qm" for ts in ts_files]
    for src, dest in datas:
        assert dest == "resources/translations"
        translator = QTranslator()  # lrelease wrote a real catalogue (kiosk_en.qm holds only plural forms: 267 bytes)
        assert translator.load(str(src)) and not translator.isEmpty(), src


def test_no_model_pack_without_the_variable(support):
    assert support.model_pack_datas({}) == (None, [])


def test_bundled_pack_is_verified_and_named_after_the_pack(support, models_dir):
    from kiosk.engine.pack import load_pack

    pack = load_pack(models_dir)
    name, datas = support.model_pack_datas({support.BUNDLE_MODELS_ENV: str(models_dir)})
    assert name == pack.name
    assert sorted(Path(src).name for src, _ in datas) == sorted(f.file for f in pack.files)
    assert {dest for _, dest in datas} == {f"resources/models/{pack.name}"}


def test_a_damaged_pack_fails_the_build_naming_the_file(support, models_dir, tmp_path):
    from kiosk.engine.pack import load_pack

    pack = load_pack(models_dir)
    bad = tmp_path / models_dir.name
    bad.mkdir()
    for entry in pack.files:
        (bad / entry.file).symlink_to(models_dir / entry.file)
    victim = pack.recognizer.file
    (bad / victim).unlink()
    (bad / victim).write_bytes(b"not the recognizer")
    with pytest.raises(SystemExit, match=rf"KIOSK_BUNDLE_MODELS=.*{re.escape(victim)}.*sha256 mismatch"):
        support.model_pack_datas({support.BUNDLE_MODELS_ENV: str(bad)})


def test_a_folder_that_is_no_pack_fails_the_build(support, tmp_path):
    with pytest.raises(SystemExit, match="KIOSK_BUNDLE_MODELS=.*no pack.toml"):
        support.model_pack_datas({support.BUNDLE_MODELS_ENV: str(tmp_path)})


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_ko.qm", True),
        ("PySide6/Qt/translations/qt_en.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qtmultimedia_ko.qm", False),
        ("PySide6\\Qt\\translations\\qtbase_fr.qm", False),
        ("resources/translations/kiosk_ko.qm", True),
        ("cv2/config.py", True),
    ],
)
def test_only_korean_and_english_qt_catalogues_ship(support, dest, kept):
    assert support.keep_data(dest) is kept


def test_gui_executable_swaps_only_the_main_script(support):
    scripts = [("pyi_rth_inspect", "/x/rth.py", "PYSOURCE"), ("__main__", "/repo/kiosk/__main__.py", "PYSOURCE")]
    swapped = support.gui_scripts(scripts, INSTALLER / "kiosk_gui.py")
    assert swapped == [scripts[0], ("kiosk_gui", str(INSTALLER / "kiosk_gui.py"), "PYSOURCE")]
    with pytest.raises(ValueError):
        support.gui_scripts([("x", "/x.pyc", "PYMODULE")], INSTALLER / "kiosk_gui.py")


def test_windowed_kiosk_writes_to_a_log_when_it_has_no_console(monkeypatch, data_dir):
    gui = load("kiosk_gui")
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    gui.attach_log()
    print("error: camera 0 cannot be opened", file=sys.stderr)
    sys.stderr.flush()
    log = data_dir / "logs" / gui.LOG_NAME
    assert log.read_text(encoding="utf-8") == "error: camera 0 cannot be opened\n"


def test_console_kiosk_keeps_its_streams(monkeypatch, data_dir):
    gui = load("kiosk_gui")
    before = (sys.stdout, sys.stderr)
    gui.attach_log()
    assert (sys.stdout, sys.stderr) == before
    assert not (data_dir / "logs").exists()


def nsis_define(name: str) -> str:
    text = (INSTALLER / "kiosk.nsi").read_text(encoding="utf-8-sig")
    match = re.search(rf'^!define {name} "([^"]*)"', text, re.MULTILINE)
    assert match, f"kiosk.nsi defines no {name}"
    return match.group(1)


def test_installer_and_kiosk_agree_on_the_data_folder_and_executables():
    assert nsis_define("APP_DIR_NAME") == paths.APP_DIR_NAME
    spec = (REPO / "kiosk.spec").read_text(encoding="utf-8")
    for exe in ("CLI_EXE", "GUI_EXE"):
        stem = nsis_define(exe).removesuffix(".exe")
        assert f'"{stem}",' in spec, f"kiosk.spec builds no executable named {stem}"


def test_windows_lock_has_directml_as_its_only_onnxruntime():
    """The Windows lock installs onnxruntime-directml and never the CPU onnxruntime beside it."""
    import tomllib

    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    seen_directml = False
    for package in lock["package"]:
        for dep in package.get("dependencies", []) + package.get("optional-dependencies", {}).get("dev", []):
            if dep["name"] == "onnxruntime":
                assert "sys_platform != 'win32'" in dep.get("marker", ""), f"{package['name']} pulls onnxruntime on Windows"
            if dep["name"] == "onnxruntime-directml":
                assert "sys_platform == 'win32'" in dep.get("marker", "")
                seen_directml = True
    assert seen_directml


def test_this_environment_has_one_onnxruntime_and_one_opencv():
    check = load("check_env")
    proc = subprocess.run([sys.executable, str(INSTALLER / "check_env.py")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert check.expected(sys.platform)["onnxruntime"] in proc.stdout


@pytest.mark.parametrize(
    ("installed", "providers", "complaint"),
    [
        (["onnxruntime-directml", "opencv-python-headless"], ["DmlExecutionProvider", "CPUExecutionProvider"], None),
        (["onnxruntime", "onnxruntime-directml", "opencv-python-headless"], ["DmlExecutionProvider"], "onnxruntime: need exactly onnxruntime-directml, found onnxruntime, onnxruntime-directml"),
        (["onnxruntime-directml", "opencv-python", "opencv-python-headless"], ["DmlExecutionProvider"], "opencv: need exactly"),
        (["onnxruntime-directml", "opencv_python_headless"], ["CPUExecutionProvider"], "no DmlExecutionProvider"),
    ],
)
def test_windows_environment_check(installed, providers, complaint):
    found = load("check_env").problems(installed, providers, "win32")
    if complaint is None:
        assert found == []
    else:
        assert len(found) == 1 and complaint in found[0]


def test_gui_executable_runs_the_kiosk_unless_told_to_run_or_supervise():
    gui = load("kiosk_gui")
    assert gui.gui_argv([]) == ["run"]
    assert gui.gui_argv(["--windowed", "--camera", "0"]) == ["run", "--windowed", "--camera", "0"]
    assert gui.gui_argv(["supervise", "--"]) == ["supervise", "--"]  # the installer's autostart
    child = ["--data-dir", "C:/ProgramData/FaceKiosk", "run", "--windowed"]  # what the supervisor starts (kiosk_command)
    assert gui.gui_argv(child) == child
