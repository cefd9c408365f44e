"""Expensive fixture results kept on disk across test runs, keyed by a hash of everything they come from.

A fixture that runs the real models over hundreds of photos (tests/engine/test_pad_fusion.py:
320 photos, about 39 s) computes once; a later run with the same inputs loads its arrays in
well under a second. The key covers the contents of the input files (photos, label files,
models), the code that computes the numbers (every module of kiosk/engine, kiosk/config.py),
the library versions that can change them, and the fixture's own parameters: a change to
any of them misses and recomputes. The folder is outside the work tree (no tool walks into
it, and ``git clean`` keeps it): ``$KIOSK_TEST_CACHE``, else ``~/.cache/kiosk-tests``;
``KIOSK_TEST_CACHE=off`` computes every time.
"""

from __future__ import annotations

import hashlib
import os
import platform
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import onnxruntime

from kiosk.fsutil import sha256_file

CACHE_ENV = "KIOSK_TEST_CACHE"
REPO = Path(__file__).resolve().parents[1]
# The code behind every figure a cached fixture holds: the engine and the settings' defaults.
CODE = (REPO / "kiosk" / "engine", REPO / "kiosk" / "config.py")


def cache_dir() -> Path | None:
    """Where cached fixtures live; ``None`` when caching is switched off."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() == "off":
        return None
    return Path(setting).expanduser() if setting else Path.home() / ".cache" / "kiosk-tests"


def _code_files(code: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for item in code:
        files += sorted(item.rglob("*.py")) if item.is_dir() else [item]
    return files


def input_key(files: Iterable[Path], params: Iterable[str] = (), code: Iterable[Path] = CODE) -> str:
    """One hash of the inputs, in their order (a fixture's rows follow it), by file name and content;
    of the code, by path below the repository and content; of the versions and ``params``."""
    h = hashlib.sha256()

    def feed(*parts: str) -> None:
        h.update("\x1f".join(parts).encode() + b"\x1e")

    feed("versions", platform.python_version(), np.__version__, onnxruntime.__version__)
    for path in files:
        feed("input", Path(path).name, sha256_file(Path(path)))
    for path in _code_files(code):
        feed("code", path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name, sha256_file(path))
    for param in params:
        feed("param", param)
    return h.hexdigest()


def cached_arrays(name: str, key: str, compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """``compute()``'s arrays, from ``<cache>/<name>-<key>.npz`` when an earlier run stored them.

    A file that cannot be read (torn by a killed run) is computed again and replaced; it is
    written to a temporary name first, so a run in another worktree never reads half of one.
    """
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{name}-{key[:32]}.npz"
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as stored:
                return {k: stored[k] for k in stored.files}
        except (OSError, ValueError, zipfile.BadZipFile):
            pass
    arrays = compute()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    tmp.replace(path)
    return arrays
