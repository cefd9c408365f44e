"""Where the kiosk keeps things, per platform.

Windows specifics live behind these small functions so their logic is tested on
Linux by passing ``platform``/``environ`` explicitly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_DIR_NAME = "FaceKiosk"


def default_data_dir(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> Path:
    """Machine-wide data folder: ``%PROGRAMDATA%`` on Windows, ``/var/lib`` elsewhere.

    A non-root user on Linux falls back to ``$XDG_DATA_HOME`` so a developer can run
    the kiosk without privileges; the installer creates the Windows folder with an ACL.
    """
    if platform == "win32":
        base = environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / APP_DIR_NAME
    if platform == "darwin":
        return Path("/Library/Application Support") / APP_DIR_NAME
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib") / APP_DIR_NAME.lower()
    xdg = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / APP_DIR_NAME.lower()


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``KIOSK_DATA_DIR`` overrides the platform default."""
    override = environ.get("KIOSK_DATA_DIR")
    return Path(override).expanduser() if override else default_data_dir(environ=environ)


def resources_dir() -> Path:
    """The ``resources/`` folder, both from a source checkout and inside a PyInstaller bundle."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def bundled_models_dir() -> Path:
    """Model packs shipped inside the bundle (``resources/models/<pack>``), if any."""
    return resources_dir() / "models"
