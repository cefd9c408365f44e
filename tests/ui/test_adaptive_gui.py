"""The default sign-in level through the real kiosk window: ``auto`` runs ``adaptive`` on a pack with a band.

Real models (the test pack's, with a band written into a copy of its manifest: tests/capture/test_adaptive.py),
a real SQLCipher database, a video-file camera of a still photo. The person videos are photos fitted into a
dark frame, which the enclosing-frame cue encloses (img6: 10 of 12 frames, tests/ui/conftest.py): with the
cue on, as it is by default, ``standard`` refuses them, and ``adaptive`` runs without it.
"""

from __future__ import annotations

import pytest

from kiosk.flows.signin import ACCEPT, SPOOF
from tests.capture.test_adaptive import _banded_analyzer
from tests.ui.test_kiosk_flows import enroll_from_photos, sign_in, wait_screen


@pytest.fixture(scope="module")
def banded(models_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("gui-bands")
    return {"clear": _banded_analyzer(models_dir, root, 0.05, 0.5), "grey": _banded_analyzer(models_dir, root, 0.05, 1.0)}


@pytest.fixture
def default_level(kiosk_settings):
    """The shipped defaults for the level and the cue (the shared kiosk settings turn the cue off)."""
    kiosk_settings.login.frame_cue = True
    assert kiosk_settings.login.security == "auto"
    return kiosk_settings


def test_the_default_level_greets_with_a_trained_pack_what_standard_refuses(qtbot, registry, analyzer, faces_dir, person_video, make_window, default_level, banded):
    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    camera = person_video("img6.jpg", "img11.jpg")
    with_band = make_window(camera, analyzer=banded["clear"])
    view = sign_in(qtbot, with_band)
    assert view.kind == ACCEPT, view  # auto = adaptive: no cue, clear of the band, no turn
    with_band.shutdown()
    without_band = make_window(camera)  # the test pack: auto = standard, with the cue
    assert sign_in(qtbot, without_band).kind == SPOOF


def test_the_grey_band_asks_the_visitor_to_turn_and_a_still_picture_cannot(qtbot, registry, analyzer, faces_dir, person_video, make_window, default_level, banded):
    enroll_from_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg", "img4.jpg"], "Angelina Jolie", "P01")
    window = make_window(person_video("img6.jpg", frames=400), analyzer=banded["grey"])
    wait_screen(qtbot, window, "attract", "login")
    asked: list[str] = []

    def turn_shown() -> bool:
        screen = window.nav.current
        if window.nav.current_name == "login" and "turn your head" in screen.view.guidance.text():
            asked.append(screen.view.guidance.text())
        return bool(asked)

    if window.nav.current_name == "attract":
        qtbot.waitUntil(lambda: window.nav.current.preview.has_frame or window.nav.current_name != "attract", timeout=90_000)
        if window.nav.current_name == "attract":
            window.nav.current.start_button.click()
    qtbot.waitUntil(turn_shown, timeout=90_000)
    assert asked[0] in ("Slowly turn your head to the left", "Slowly turn your head to the right")
    view = wait_screen(qtbot, window, "result").view
    assert view.kind != ACCEPT, view  # the photo never turns: the capture fails, nobody is signed in
