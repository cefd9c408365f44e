"""A small, spread selection of ../shared/faces/spoof-context rows for the liveness training tests.

Four rooms whose attacks differ (TV replays, phone photos, prints) and, per room and label, frames
taken at an even step through the file-name (time) order, so a few dozen rows still span each
session. One definition for every test that trains on them.
"""

from __future__ import annotations

import csv
from pathlib import Path

SOURCES = ("eyashita", "srimuthukumar", "dangthanhliem", "sudipto")


def context_rows(faces_dir: Path, per_label: int, offset: int = 0) -> list[dict[str, str]]:
    """``per_label`` rows of each label in each of ``SOURCES``, at an even step from ``offset``."""
    with open(faces_dir / "spoof-context" / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for source in SOURCES:
        for label in ("live", "spoof"):
            of = [r for r in rows if r["source"] == source and r["label"] == label]
            out += of[offset :: len(of) // per_label][:per_label]
    return out
