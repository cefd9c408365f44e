"""Reading a labelled CSV (pairs, liveness labels): one clear error for the file, the rows kept for per-row checks."""

from __future__ import annotations

import csv
from pathlib import Path

from kiosk.errors import KioskError, NotFoundError


def read_rows(csv_path: str | Path, columns: tuple[str, ...], what: str, hint: str) -> list[tuple[dict[str, str], int]]:
    """(row, line number) for every row; a missing file, a missing column or an unreadable file raises, naming it."""
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise NotFoundError(f"{csv_path}: {what} file not found")
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in columns if c not in header]
            if missing:
                raise KioskError(f"{csv_path}: missing column(s) {', '.join(missing)}", hint=hint)
            reader.fieldnames = header
            return [(row, reader.line_num) for row in reader]
    except UnicodeDecodeError:
        raise KioskError(f"{csv_path}: not a UTF-8 text CSV") from None
    except (OSError, csv.Error) as exc:
        raise KioskError(f"{csv_path}: cannot read ({exc})") from None
