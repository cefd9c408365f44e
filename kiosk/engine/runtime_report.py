"""Which provider each model of the running kiosk is on, and why some are not where asked.

The kiosk writes it to the data folder at start and after every model recovery, so
``kiosk doctor`` (another process) can tell the operator that the kiosk moved a
model to CPU while it ran. Names only: no image, no vector.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.fsutil import atomic_write

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer

REPORT_FILE = "model-providers.json"


@dataclass(frozen=True)
class RuntimeReport:
    time: str  # ISO 8601, UTC
    providers: dict[str, str]  # role -> the provider it runs on
    fallbacks: dict[str, str] = field(default_factory=dict)  # role -> why it is not on the one asked for

    @classmethod
    def of(cls, analyzer: FaceAnalyzer) -> RuntimeReport:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return cls(now, dict(analyzer.providers), dict(analyzer.fallbacks))

    def describe(self) -> str:
        if not self.fallbacks:
            return f"at {self.time} every model ran where asked: " + ", ".join(f"{r} on {p}" for r, p in self.providers.items())
        return f"at {self.time}: " + "; ".join(f"{role}: {why}" for role, why in self.fallbacks.items())


def write_report(data_dir: Path, report: RuntimeReport) -> None:
    atomic_write(Path(data_dir) / REPORT_FILE, json.dumps(asdict(report), indent=2).encode("utf-8"), mode=0o644)


def read_report(data_dir: Path) -> RuntimeReport | None:
    """The last report the kiosk wrote; None when it never ran here or the file is unreadable."""
    try:
        data = json.loads((Path(data_dir) / REPORT_FILE).read_text(encoding="utf-8"))
        return RuntimeReport(str(data["time"]), dict(data["providers"]), dict(data.get("fallbacks", {})))
    except (OSError, ValueError, KeyError, TypeError):
        return None
