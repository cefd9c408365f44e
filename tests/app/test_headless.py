"""A whole sign-in with no Qt at all: ``HeadlessKiosk`` = the application model + the real
``CaptureWorker`` on footage from ../shared/video + the real models and SQLCipher database.

The camera is the Hamilton clip's stretch of one man facing the camera (frames 84-98,
played back and forth: ``tests/capture/clips.py``). He is enrolled from three of those
frames, beside Angelina Jolie (three ../shared/faces photos); the capture the model starts
must end in a ResultView that names him. This checks the wiring from the worker's thread to
the decision (the same footage enrolls and signs in, so it is not an accuracy figure).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.app.events import SignInDecided
from kiosk.app.headless import HeadlessKiosk
from kiosk.app.screens import ScreenName
from kiosk.config import load_settings
from kiosk.engine.aggregate import aggregate
from kiosk.flows.signin import ACCEPT

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared clips
from capture.clips import FACING, HAMILTON, read_frames, write_clip  # noqa: E402

WAIT_S = 90


def test_a_headless_kiosk_signs_a_person_in_from_the_camera(data_dir, models_dir, videos_dir, faces_dir, analyzer, tmp_path):
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    clip = write_clip(videos_dir / HAMILTON, tmp_path / "cooperative.avi", FACING * 6)
    kiosk = HeadlessKiosk(settings, str(clip))
    model = kiosk.model
    decided: list[SignInDecided] = []
    model.events.connect(lambda e: decided.append(e) if isinstance(e, SignInDecided) else None)
    try:
        model.models_ready(analyzer)  # opens the database, starts the worker with the warm models
        registry = model.services.require_registry()
        registry.set_admin_pin("admin", "246810")
        jolie = [analyzer.embed_image(faces_dir / "deepface" / n) for n in ("img1.jpg", "img2.jpg", "img4.jpg")]
        registry.enroll("Angelina Jolie", "P01", aggregate(jolie, min_valid=1, outlier_cosine=0.3))
        frames = read_frames(videos_dir / HAMILTON)
        him = [analyzer.embed_image(frames[i]) for i in (84, 91, 98)]
        registry.enroll("The man in the clip", "H01", aggregate(him, min_valid=1, outlier_cosine=0.3))
        model.navigate(ScreenName.ATTRACT)

        model.begin_sign_in(None, running=False)  # what the login screen does as it shows

        assert kiosk.run_until(lambda: bool(decided), WAIT_S), "no sign-in was decided"
    finally:
        kiosk.shutdown()
    view = decided[0].view
    assert (view.kind, view.name) == (ACCEPT, "The man in the clip"), view
    assert model.screen == ScreenName.RESULT and model.driver is None
    assert model.services.registry is None  # closed by the shutdown
