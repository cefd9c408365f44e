"""Roster import against a loop of ``kiosk users add``: people per second on the same roster.

The roster is the first two photos of the first ``--people=N`` (default 8) deepface
identities of ../shared. Each side runs as the operator would run it, a real ``kiosk``
process (or one per person) with the test pack on CPU, into its own fresh data folder;
the sides alternate ``--rounds=R`` times (default 1), and each round checks that both
ended with the same N people enrolled.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FACES = SHARED / "faces" / "deepface"


def _option(argv: list[str], name: str, default: int) -> int:
    return next((int(a.split("=", 1)[1]) for a in argv if a.startswith(f"--{name}=")), default)


def roster(folder: Path, people: int) -> list[tuple[str, list[Path]]]:
    """``people`` identities with their first two photos copied under ``folder``, and roster.csv beside them."""
    by_id: dict[str, list[str]] = {}
    with open(FACES / "identities.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_id.setdefault(row["identity"], []).append(row["image"])
    chosen = []
    for pid, images in list(by_id.items())[:people]:
        (folder / pid).mkdir()
        for image in images[:2]:
            shutil.copy(FACES / image, folder / pid / image)
        chosen.append((pid, sorted((folder / pid).iterdir())))
    (folder / "roster.csv").write_text("id,name,photos\n" + "".join(f"{pid},Person {pid},{pid}\n" for pid, _ in chosen), encoding="utf-8")
    return chosen


def kiosk(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KIOSK_DATA_DIR=str(data))
    env.setdefault("KIOSK_MODELS", str(SHARED / "models" / "test-pack"))
    env.setdefault("KIOSK_RUNTIME_PROVIDERS", "CPUExecutionProvider")
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False)


def enrolled(data: Path) -> int:
    return len(kiosk(data, "users", "list").stdout.splitlines())


def main(argv: list[str]) -> str:
    people, rounds = _option(argv, "people", 8), _option(argv, "rounds", 1)
    times: dict[str, list[float]] = {"import-roster": [], "users add loop": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chosen = roster(folder, people)
        for r in range(rounds):
            data = folder / f"roster-{r}"
            started = time.perf_counter()
            done = kiosk(data, "users", "import-roster", str(folder / "roster.csv"))
            times["import-roster"].append(time.perf_counter() - started)
            assert done.returncode == 0 and enrolled(data) == people, done.stderr
            data = folder / f"loop-{r}"
            started = time.perf_counter()
            for pid, photos in chosen:
                done = kiosk(data, "users", "add", "--name", f"Person {pid}", "--id", pid, *map(str, photos))
                assert done.returncode == 0, done.stderr
            times["users add loop"].append(time.perf_counter() - started)
            assert enrolled(data) == people
    roster_s, loop_s = np.median(times["import-roster"]), np.median(times["users add loop"])
    return "\n".join([
        f"{people} people, 2 photos each (deepface), test pack on CPU, {os.cpu_count()} cores; "
        f"{rounds} round(s), sides alternating, each into a fresh data folder; wall time of whole processes, median.",
        "",
        "| command | processes | wall | people/s | vs the loop |",
        "|---|---:|---:|---:|---:|",
        f"| `kiosk users import-roster roster.csv` | 1 | {roster_s:.1f} s | {people / roster_s:.2f} | {loop_s / roster_s:.1f}x |",
        f"| `kiosk users add` once per person | {people} | {loop_s:.1f} s | {people / loop_s:.2f} | 1.0x |",
        "",
        f"Load average after the run: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min; the machine is shared).",
    ])
