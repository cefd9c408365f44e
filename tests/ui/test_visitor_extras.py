"""Visitor-facing extras on the real worker: the actor look-alike, a lost camera, and `kiosk run`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# The whole module is in the full suite only: about 17 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def built_gallery(analyzer, faces_dir, tmp_path_factory):
    """A real actor gallery built from ../shared/faces/friends_boostface (6 actors, 30 photos)."""
    from kiosk.gallery import DatasetSource, build_gallery

    data = tmp_path_factory.mktemp("gallery-data")
    build_gallery(DatasetSource.from_folder(faces_dir / "friends_boostface" / "Train"), analyzer, data)
    return data


def test_lookalike_shows_three_actors_and_stores_only_a_count(qtbot, registry, built_gallery, person_video, make_window, kiosk_settings, analyzer):
    import shutil

    from kiosk.gallery import ActorGallery

    shutil.copytree(built_gallery / "gallery", kiosk_settings.data_dir / "gallery", dirs_exist_ok=True)
    files_before = sorted(p.relative_to(kiosk_settings.data_dir) for p in kiosk_settings.data_dir.rglob("*") if p.is_file())
    window = make_window(person_video("img6.jpg"))
    qtbot.waitUntil(lambda: window.nav.current_name == "attract", timeout=WAIT_MS)
    attract = window.nav.current
    assert attract.lookalike_button.isVisible()
    attract.lookalike_button.click()
    screen = window.nav.current
    assert screen.name == "lookalike"
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.result_page, timeout=WAIT_MS)
    cards = [c for c in screen.cards if c.isVisibleTo(screen)]
    assert len(cards) == 3
    actors = {a.name for a in ActorGallery.open(kiosk_settings.data_dir, analyzer.pack).actors()}
    assert all(c.name.text() in actors for c in cards)
    percents = [int(c.percent.text().rstrip("%")) for c in cards]
    assert percents == sorted(percents, reverse=True) and all(0 <= p <= 100 for p in percents)
    assert all(not c.picture.pixmap().isNull() for c in cards)
    assert ActorGallery.open(kiosk_settings.data_dir, analyzer.pack).info().lookups == 1
    files_after = sorted(p.relative_to(kiosk_settings.data_dir) for p in kiosk_settings.data_dir.rglob("*") if p.is_file())
    new_files = set(files_after) - set(files_before)
    # No picture, no vector of the visitor (model-providers.json is the kiosk's start-up report, names only).
    assert {p.name for p in new_files} <= {"lookups.json", "model-providers.json"}, new_files
    assert not registry.audit_log(event="identify")


def test_lost_camera_shows_out_of_order_and_comes_back(qtbot, registry, person_video, make_window, tmp_path):
    video = person_video("img3.jpg", frames=15)  # a one-second loop: the worker reopens it every second
    window = make_window(video)
    qtbot.waitUntil(lambda: window.nav.current_name == "attract" and window.nav.current.preview.has_frame, timeout=WAIT_MS)
    hidden = video.rename(tmp_path / "unplugged.avi")  # the camera goes away
    qtbot.waitUntil(lambda: window.nav.current_name == "out_of_order", timeout=WAIT_MS)
    assert window.nav.current.title.text() == "Temporarily out of order"
    hidden.rename(video)  # ...and comes back; the worker keeps retrying with back-off
    qtbot.waitUntil(lambda: window.nav.current_name == "attract", timeout=WAIT_MS)


def test_kiosk_run_starts_full_screen_and_quits_cleanly(tmp_path, person_video, db_key, models_dir):
    env = dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data"), KIOSK_DB_KEY=db_key, QT_QPA_PLATFORM="offscreen")
    video = person_video("img6.jpg", frames=30)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "-v", "run", "--camera", str(video), "--quit-after", "8"],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "camera live" in result.stderr  # splash -> models -> database -> camera, all in 8 s
