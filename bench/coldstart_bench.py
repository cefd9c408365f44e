"""Cold start: seconds from starting ``kiosk run`` to the attract screen, and to the process's end.

The kiosk shows the attract screen before the models are warm (issue 15), so the whole
process (``--quit-on-attract`` also waits for the model load, then shuts down) is longer
than what a person at the kiosk waits for. This reads the ``-v`` log line that the
navigator writes when a screen shows ("screen attract") as it arrives on stderr and stamps
it with the launching process's monotonic clock. Runs are in turn after one warm-up run
(file caches); the median is the figure to quote. Options: ``--runs=N`` (default 7).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ATTRACT_LINE = "screen attract"


def prepare_data_dir() -> Path:
    """A data folder whose database already has an admin, so the kiosk starts at the attract screen."""
    data = Path(tempfile.mkdtemp(prefix="kiosk-coldstart-"))
    env = {**os.environ, "BENCH_PIN": "246810"}
    subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "--models", str(SHARED / "models" / "test-pack"),
         "admin", "set-pin", "--pin-env", "BENCH_PIN"],
        check=True, env=env, capture_output=True,
    )
    return data


def one_start(data: Path) -> tuple[float, float]:
    """(seconds to the attract screen's log line, seconds to the process's exit), for the
    ``kiosk`` script an operator starts."""
    command = [
        str(Path(sys.executable).with_name("kiosk")), "-v", "--data-dir", str(data), "--models", str(SHARED / "models" / "test-pack"),
        "--providers", "CPUExecutionProvider", "run", "--windowed",
        "--camera", str(SHARED / "video" / "short_hamilton_clip.mp4"), "--quit-on-attract",
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    attract = float("nan")
    for line in proc.stderr:
        if ATTRACT_LINE in line and attract != attract:
            attract = time.monotonic() - started
    proc.wait()
    if proc.returncode != 0 or attract != attract:
        raise RuntimeError(f"kiosk run exited {proc.returncode} without showing the attract screen")
    return attract, time.monotonic() - started


def main(argv: list[str]) -> str:
    runs = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--runs=")), 7)
    data = prepare_data_dir()
    try:
        one_start(data)  # warm-up: file caches
        results = [one_start(data) for _ in range(runs)]
    finally:
        shutil.rmtree(data, ignore_errors=True)
    attract = [a for a, _ in results]
    whole = [w for _, w in results]
    load = os.getloadavg()[0]
    return "\n".join([
        f"## Cold start (`kiosk run --windowed --quit-on-attract`, test pack, CPU; {runs} runs after a warm-up; load average {load:.1f})",
        "",
        "| to | min s | median s | max s |",
        "|---|---:|---:|---:|",
        f"| the attract screen (`-v` log line) | {min(attract):.2f} | **{statistics.median(attract):.2f}** | {max(attract):.2f} |",
        f"| the process's end (models warm, then shut down) | {min(whole):.2f} | {statistics.median(whole):.2f} | {max(whole):.2f} |",
    ])
