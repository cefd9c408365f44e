"""The teach screens on the real kiosk window: an image folder of attack frames, then a person video, as the camera.

Frames of one spoof-context source's attacks (an image-folder source), then a video of a
deepface photo (the admin's real face) are the camera while the admin teaches; the retrain runs on the camera worker against small
development labels files (KIOSK_LIVENESS_DEV_DATA), so it takes seconds. The screens are
grabbed in English and Korean (to KIOSK_TEACH_SHOTS when set, for docs/screenshots).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from kiosk.flows import teach
from tests.ui.test_admin_screens import open_admin
from tests.ui.test_layout_and_idle import styled  # noqa: F401 - the kiosk's font and style sheet, for true pictures

WAIT_MS = 120_000
SOURCE = "eyashita"


def frames_of(faces_dir: Path, source: str, label: str) -> list[Path]:
    with open(faces_dir / "spoof-context" / "labels.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["source"] == source and r["label"] == label]
    return sorted((faces_dir / "spoof-context" / r["image"] for r in rows), key=lambda p: p.name)


def image_folder(target: Path, frames: list[Path]) -> Path:
    target.mkdir()
    for i, frame in enumerate(frames):
        (target / f"{i:04d}{frame.suffix}").symlink_to(frame)
    return target


def small_dev_data(root: Path, faces_dir: Path) -> Path:
    """The three development labels files the retrain reads, each a few frames of other sources (absolute paths)."""
    picks = {
        "spoof-context": [(p, "live", s) for s in ("yashpatil", "kalyanipatil") for p in frames_of(faces_dir, s, "live")[::25]]
        + [(p, "spoof", s) for s in ("yashpatil", "kalyanipatil") for p in frames_of(faces_dir, s, "spoof")[::25]],
        "spoof-dev/print-nuaa": [],
        "spoof-dev/recapture-crops": [],
    }
    for folder, rows in picks.items():
        (root / folder).mkdir(parents=True)
        with open(root / folder / "labels.csv", "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["image", "label", "attack", "source"])
            writer.writerows([str(p), label, source, source] for p, label, source in rows)
    return root


def grab(qtbot, name: str, window) -> None:
    out = os.environ.get("KIOSK_TEACH_SHOTS")
    for lang in ("en", "ko"):
        window.set_language(lang)
        qtbot.wait(150)  # the layout settles on the new words (as scripts/screenshots.py waits)
        image = window.grab()
        assert not image.isNull()
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            image.save(str(Path(out) / f"teach-windowed-{name}-{lang}.png"))
    window.set_language("en")


@pytest.mark.slow
def test_teach_attacks_and_real_faces_then_retrain(qtbot, styled, registry, make_window, faces_dir, tmp_path, monkeypatch, kiosk_settings, person_video, pack):
    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(small_dev_data(tmp_path / "dev", faces_dir)))
    attacks = image_folder(tmp_path / "attacks", frames_of(faces_dir, SOURCE, "spoof")[:25])
    real = person_video("img6.jpg")  # a deepface photo as the admin's face (the docs' pictures show no spoof-context frame)
    from kiosk.engine.analyzer import FaceAnalyzer

    own = FaceAnalyzer.from_settings(pack, kiosk_settings)  # a kept retrain switches its check: not the shared one's
    window = make_window(attacks, size=(762, 960), analyzer=own)
    home = open_admin(qtbot, window, "admin_home")
    home.buttons["teach"].click()
    screen = window.nav.current
    assert window.nav.current_name == "teach"
    assert "Phone:\u00a00" in screen.counts.text()
    grab(qtbot, "home", window)
    screen.per_kind = 4
    screen.teach_attacks.click()
    assert screen.idle_exempt  # hands hold a phone, not the screen: teaching keeps the admin signed in
    assert screen.prompt.text().startswith("Hold a phone")
    qtbot.waitUntil(lambda: screen.recording is not None and screen.recording.counts.get(teach.TeachKind.TABLET, 0) >= 1, timeout=WAIT_MS)
    assert screen.prompt.text().startswith("Now hold a tablet")
    assert screen.preview.has_frame
    grab(qtbot, "attacks", window)
    qtbot.waitUntil(lambda: screen.recording.done, timeout=WAIT_MS)
    assert teach.sample_counts(registry) == {"phone": 4, "tablet": 4, "print": 4, "real": 0}
    assert not screen.idle_exempt  # done: the idle timeout counts again
    screen.stop.click()

    window.ctx.worker.set_source(str(real))
    screen.per_kind = 12
    screen.teach_real.click()
    assert screen.prompt.text().startswith("Look at the camera")
    qtbot.waitUntil(lambda: screen.recording.counts.get(teach.TeachKind.REAL, 0) >= 3, timeout=WAIT_MS)
    grab(qtbot, "real", window)
    qtbot.waitUntil(lambda: screen.recording is not None and screen.recording.done, timeout=WAIT_MS)
    screen.stop.click()
    assert "Real\u00a0faces:\u00a012" in screen.counts.text()

    screen.retrain.click()
    assert screen.busy.isVisible() and not screen.done.isVisible()
    grab(qtbot, "retraining", window)
    qtbot.waitUntil(lambda: screen.outcome is not None or bool(screen.error), timeout=WAIT_MS)
    assert not screen.error, screen.error
    outcome = screen.outcome
    assert screen.cells[1, 1].text() == f"{outcome.before.apcer * 100:.1f} %"
    assert screen.cells[2, 2].text() == f"{outcome.after.bpcer * 100:.1f} %"
    assert screen.verdict.text().startswith("Kept" if outcome.kept else "Not kept")
    row = registry.audit_log(event="liveness_taught")[0]
    assert row.decision == ("kept" if outcome.kept else "refused")
    if outcome.kept:
        qtbot.waitUntil(lambda: window.ctx.analyzer.liveness_checker.fusion is not None, timeout=WAIT_MS)
        assert kiosk_settings.models == outcome.pack_folder
    grab(qtbot, "result", window)
    window.set_language("ko")
    assert screen.retrain.text() == "다시 학습"
    window.set_language("en")

    screen.done.click()
    screen.clear.click()  # the first tap only asks
    assert screen.clear.text() == "Tap again to forget" and teach.sample_counts(registry)["real"] == 12
    screen.clear.click()
    assert teach.sample_counts(registry) == {"phone": 0, "tablet": 0, "print": 0, "real": 0}
    assert registry.audit_log(event="liveness_samples_cleared")[0].detail == "samples=24"


@pytest.mark.slow
def test_without_the_development_data_the_screen_teaches_with_this_camera_only(qtbot, styled, registry, make_window, faces_dir, tmp_path, monkeypatch, kiosk_settings, pack, analyzer):
    """An installed kiosk: no ../shared, no cached development rows. Retrain still runs, on the samples alone, and says so."""
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.images import load_image
    from kiosk.engine.site_liveness import largest_face_features

    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(tmp_path / "not-installed"))
    for label, kind in (("spoof", teach.TeachKind.PHONE), ("live", teach.TeachKind.REAL)):
        for path in frames_of(faces_dir, "yashpatil", label)[:16]:  # real frames' features, as Teach attacks / real faces store them
            teach.save_sample(registry, f"session-{label}", kind, *largest_face_features(analyzer, load_image(path)))
    own = FaceAnalyzer.from_settings(pack, kiosk_settings)  # a kept retrain switches its check: not the shared one's
    window = make_window(image_folder(tmp_path / "camera", frames_of(faces_dir, SOURCE, "live")[:5]), size=(762, 960), analyzer=own)
    home = open_admin(qtbot, window, "admin_home")
    home.buttons["teach"].click()
    screen = window.nav.current
    screen.retrain.click()
    qtbot.waitUntil(lambda: screen.outcome is not None or bool(screen.error), timeout=WAIT_MS)
    assert not screen.error, screen.error
    outcome = screen.outcome
    assert outcome.mode is teach.TeachMode.SITE_ONLY and outcome.dev_rows == 0
    assert screen.retrain_status.text() == "This camera only: measured on every taught sample"
    assert screen.retrain_detail.text() == "Each taught picture was scored by a check trained without it: 16 attack pictures, 16 real-face pictures."
    assert screen.verdict.text().startswith("Kept" if outcome.kept else "Not kept: the new check was not better on the taught samples")
    assert "this camera only" in registry.audit_log(event="liveness_taught")[0].detail
    grab(qtbot, "result-site-only", window)
    window.set_language("ko")
    assert screen.retrain_status.text().startswith("이 카메라로만 학습:")
    assert screen.retrain_detail.text().startswith("학습한 사진마다")
    window.set_language("en")
