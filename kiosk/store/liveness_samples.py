"""Site liveness samples: the feature vectors the operator taught this kiosk, never an image.

One row per taught frame: the recording session, live or spoof, what was held up
(phone, tablet, print) or ``real``, the time, the feature names and the float32 vector.
The names travel with each row so a sample recorded with another pack is recognised as
such instead of being read against the wrong columns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from kiosk.clock import utc_now
from kiosk.store.db import Database

KINDS = ("phone", "tablet", "print", "real")


@dataclass(frozen=True)
class LivenessSample:
    id: int
    session: str
    kind: str  # one of KINDS; "real" is the only live one
    time: str  # UTC ISO
    features: tuple[str, ...]
    vector: np.ndarray  # float32, one value per feature

    @property
    def live(self) -> bool:
        return self.kind == "real"


def add(db: Database, session: str, kind: str, features: tuple[str, ...], vector: np.ndarray, *, time: str | None = None) -> None:
    """One sample (inside the caller's transaction)."""
    if kind not in KINDS:
        raise ValueError(f"unknown liveness sample kind {kind!r}")
    values = np.asarray(vector, np.float32).ravel()
    if len(values) != len(features):
        raise ValueError(f"{len(values)} values for {len(features)} features")
    db.conn.execute(
        "INSERT INTO liveness_samples(session, label, kind, time, features, vector) VALUES (?, ?, ?, ?, ?, ?)",
        (session, "live" if kind == "real" else "spoof", kind, time or utc_now(), ",".join(features), values.tobytes()),
    )


def all_samples(db: Database) -> list[LivenessSample]:
    """Every sample, oldest first."""
    rows = db.conn.execute("SELECT id, session, kind, time, features, vector FROM liveness_samples ORDER BY time, id")
    return [LivenessSample(i, s, k, t, tuple(f.split(",")), np.frombuffer(v, np.float32).copy()) for i, s, k, t, f, v in rows]


def counts(db: Database) -> dict[str, int]:
    """Samples per kind, every kind named (0 when none)."""
    found = Counter(dict(db.conn.execute("SELECT kind, count(*) FROM liveness_samples GROUP BY kind").fetchall()))
    return {kind: int(found.get(kind, 0)) for kind in KINDS}


def clear(db: Database) -> int:
    """Delete every sample; returns how many there were."""
    return int(db.conn.execute("DELETE FROM liveness_samples").rowcount)
