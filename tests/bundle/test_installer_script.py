"""The installer script without a PyInstaller build: it compiles (makensis -WX) with stand-in
executables as its payload, its autostart and lockdown run the supervisor, and it calls the
lockdown script with the parameters that script declares. Running the installer and the
PowerShell script needs Windows (scripts/windows_smoke.sh; docs/packaging.md, Lockdown)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import kiosk
from kiosk.cli.main import build_parser

REPO = Path(__file__).resolve().parents[2]
NSI = REPO / "installer" / "kiosk.nsi"
PS1 = REPO / "installer" / "kiosk_lockdown.ps1"


def test_the_script_compiles_with_the_lockdown_section(tmp_path):
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.fail("makensis not found: install NSIS (Debian: apt-get install nsis)")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for exe in ("kiosk.exe", "kiosk-gui.exe"):
        (bundle / exe).write_bytes(b"MZ stand-in")  # makensis only embeds them
    out = tmp_path / "FaceKiosk-check.exe"
    cmd = [makensis, "-V2", "-WX", "-DNOCOMPRESS", f"-DVERSION={kiosk.__version__}", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}", str(NSI)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # -WX: a warning fails too
    assert PS1.read_bytes()[:200] in out.read_bytes()  # the lockdown script is in the payload


def test_autostart_and_lockdown_shell_start_the_supervisor():
    text = NSI.read_text(encoding="utf-8-sig")
    args = re.search(r'^!define SUPERVISED_ARGS "([^"]*)"', text, re.MULTILINE).group(1).split()
    parsed = build_parser(args).parse_args(args)
    assert parsed.command == "supervise" and parsed.run_args in ([], ["--"])
    assert '"$\\"$INSTDIR\\${GUI_EXE}$\\" ${SUPERVISED_ARGS}"' in text  # the Run key
    assert '-Shell "\\"$INSTDIR\\${GUI_EXE}\\" ${SUPERVISED_ARGS}"' in text  # the lockdown shell


def test_the_installer_passes_what_the_lockdown_script_declares():
    params = re.search(r"^param\((.*?)^\)", PS1.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL).group(1)
    declared = set(re.findall(r"\[(?:string|switch)\]\$(\w+)", params))
    calls = re.findall(r'kiosk_lockdown\.ps1" ([^\']*)\'', NSI.read_text(encoding="utf-8-sig"))
    passed = [set(re.findall(r"(?:^| )-([A-Z]\w*)", call)) for call in calls]
    assert declared == {"User", "Shell", "Remove"}
    assert passed == [{"User", "Shell"}, {"User", "Remove"}]  # install, uninstall
