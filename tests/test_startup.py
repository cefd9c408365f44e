"""Cold start (issue 15): ``kiosk run`` imports only what running the kiosk needs.

Checked in a fresh interpreter (``sys.modules`` of the test process already holds everything).
"""

from __future__ import annotations

import json
import subprocess
import sys

from kiosk.cli.main import COMMAND_HOMES, COMMAND_MODULES, build_parser, command_name, modules_for

HEAVY = ("psycopg", "onnxruntime", "cv2", "kiosk.registry", "kiosk.fleet.sync")


def imported_after(code: str) -> list[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_parsing_kiosk_run_imports_none_of_the_other_commands_dependencies():
    assert imported_after("import kiosk.cli.main") == []
    loaded = imported_after("from kiosk.cli.main import build_parser\nbuild_parser(['--data-dir', 'x', 'run', '--windowed'])")
    assert loaded == []
    # psycopg and OpenCV are what the other commands' modules import at their top:
    assert set(imported_after("from kiosk.cli.main import build_parser\nbuild_parser(None)")) >= {"psycopg", "cv2"}


def test_the_command_is_the_first_word_that_is_no_option_value():
    assert command_name(["--data-dir", "run", "--models", "p", "-v", "users", "list"]) == "users"
    assert command_name(["--providers=CPUExecutionProvider", "run"]) == "run"
    assert command_name(["-v", "--help"]) is None
    assert modules_for(["run"]) == ["kiosk.cli.run_cmd"]
    assert modules_for(["nosuchcommand"]) == list(COMMAND_MODULES)  # argparse names the choices


def test_every_command_still_parses_and_help_lists_them_all():
    help_text = build_parser(None).format_help()
    for name, module in COMMAND_HOMES.items():
        assert name in help_text
        parser = build_parser([name])
        choices = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse keeps them there
        assert name in choices, module


def test_kiosk_run_reaches_the_attract_screen_without_psycopg(tmp_path, models_dir, videos_dir, monkeypatch):
    """A kiosk outside a fleet never loads the PostgreSQL driver (0.36 s of a cold start)."""
    import os
    import secrets

    from kiosk.config import load_settings
    from kiosk.engine.pack import resolve_pack
    from kiosk.registry import Registry

    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    settings = load_settings(data_dir=tmp_path, overrides={"models": str(models_dir)})
    registry = Registry.open(settings, resolve_pack(settings))
    registry.set_admin_pin("admin", "246810")
    registry.close()
    args = ["--data-dir", str(tmp_path), "--models", str(models_dir), "run", "--windowed", "--quit-on-attract", "--camera", str(videos_dir / "short_hamilton_clip.mp4")]
    code = (
        "import json, sys\n"
        "from kiosk.app.model import KioskModel\n"
        "seen, go = [], KioskModel.navigate\n"
        "KioskModel.navigate = lambda self, name, **kw: (seen.append(str(name)), go(self, name, **kw))[1]  # a spy on the screens shown\n"
        "from kiosk.cli.main import main\n"
        f"rc = main({args!r})\n"
        "print(json.dumps({'rc': rc, 'screens': seen, 'psycopg': 'psycopg' in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"rc": 0, "screens": ["splash", "attract"], "psycopg": False}, out.stderr[-2000:]
