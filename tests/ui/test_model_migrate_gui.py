"""The people screen's model migration (issue 24 section 3) through the real camera worker, English and Korean.

Three people enrolled with the test pack (two with their face crop, one without); the new pack is
the test pack's recognizer projected to 128 values (``bench/migrate_bench.py``). The panel must
migrate the two, name the third with the reason, and leave the running matrix alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kiosk.flows.enroll import read_photos, save

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench.*
from bench.migrate_bench import projected_pack  # noqa: E402

WAIT_MS = 90_000


def test_people_screen_migrates_to_another_pack(qtbot, registry, analyzer, pack, make_window, person_video, faces_dir, tmp_path):
    for pid, photo, keep in (("M1", "img1.jpg", True), ("M2", "img3.jpg", True), ("M3", "img8.jpg", False)):
        batch = read_photos(analyzer, [faces_dir / "deepface" / photo])
        save(registry, f"Person {pid}", pid, batch.template(registry.bands.low), face=batch.best_crop if keep else None)
    new_root = projected_pack(pack, tmp_path / "packs")
    window = make_window(person_video("img3.jpg", frames=30), size=(1920, 1080))
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True
    window.nav.go("people")
    screen = window.nav.current
    assert screen.migrate_button.text() == "Migrate to a model pack…"
    panel = screen.migration
    panel.start(new_root)
    qtbot.waitUntil(lambda: panel.migration is not None and panel.migration.finished, timeout=WAIT_MS)
    report = panel.migration.report
    assert (report.migrated, report.already, [u.person.external_id for u in report.unmigrated]) == (2, 0, ["M3"])
    assert panel.status.text().startswith("Migrated 2, already migrated 0, not migrated 1, look-alike pairs 0.")
    assert panel.problems.text() == "M3 (Person M3): No face picture kept"  # kiosk/flows/reasons.py
    assert len(window.ctx.registry.matcher) == 3  # the active pack's rows, untouched
    shots = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(shots / "people-migrate-en.png"))
    window.set_language("ko")
    assert panel.status.text().startswith("이전 2명, 이미 이전됨 0명, 이전 안 됨 1명, 닮은 쌍 0개.")
    window.grab().save(str(shots / "people-migrate-ko.png"))
    window.set_language("en")

    panel.start(new_root)  # the same pack again: nothing left to do
    qtbot.waitUntil(lambda: panel.migration.finished, timeout=WAIT_MS)
    assert (panel.migration.report.migrated, panel.migration.report.already) == (0, 2)

    panel.start(tmp_path / "no-such-pack")
    assert panel.migration is None and "no-such-pack" in panel.status.text()
