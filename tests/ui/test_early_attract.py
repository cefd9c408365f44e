"""Cold start (issue 15): the attract screen shows once the model pack is found, before the models are warm.

The window's loader signals are emitted here in the order its thread emits them (pack
first, warm analyzer second), so the state in between is looked at without racing a
real load; everything else is real (database, camera worker, models, sign-in).
"""

from __future__ import annotations

import threading

from kiosk.flows.signin import ACCEPT

WAIT_MS = 90_000


def test_attract_shows_before_the_models_and_sign_in_waits_for_them(qtbot, registry, analyzer, pack, faces_dir, person_video, kiosk_settings):
    from kiosk.engine.aggregate import aggregate
    from kiosk.ui.window import KioskWindow

    registry.enroll("Angelina Jolie", "P01", aggregate([analyzer.embed_image(faces_dir / "deepface" / n) for n in ("img1.jpg", "img2.jpg")], min_valid=1, outlier_cosine=0.3))
    window = KioskWindow(kiosk_settings, camera=str(person_video("img6.jpg", "img11.jpg")))
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    try:
        window._loader.pack_found.emit(pack)  # noqa: SLF001 - the loader's first signal
        attract = window.nav.current
        assert attract.name == "attract" and window.ctx.analyzer is None
        assert not attract.start_button.isEnabled() and attract.start_button.text() == "Getting ready…"
        qtbot.waitUntil(lambda: attract.preview.has_frame, timeout=WAIT_MS)  # the camera runs meanwhile
        assert window.nav.current_name == "attract"  # nobody is handed to sign-in without models
        window._loader.loaded.emit(analyzer)  # noqa: SLF001 - the models are warm
        assert attract.start_button.isEnabled() and attract.start_button.text() == "Sign in"
        qtbot.waitUntil(lambda: window.nav.current_name == "result", timeout=WAIT_MS)  # the face walks up: sign-in runs
        assert window.nav.current.view.kind == ACCEPT
        assert registry.audit_log(event="identify")[0].decision == "accept"
    finally:
        window.shutdown()


def test_a_start_in_korean_says_it_is_getting_ready(qtbot, registry, pack, person_video, kiosk_settings):
    from kiosk.ui.window import KioskWindow

    kiosk_settings.ui.language = "ko"
    window = KioskWindow(kiosk_settings, camera=str(person_video("img3.jpg")))
    qtbot.addWidget(window)
    try:
        window._loader.pack_found.emit(pack)  # noqa: SLF001 - the loader's first signal
        assert window.nav.current.start_button.text() == "준비하는 중…"
    finally:
        window.set_language("en")  # the translator is the application's: the next tests read English
        window.shutdown()


def test_with_nobody_enrolled_the_kiosk_does_not_try_to_sign_anyone_in(qtbot, registry, analyzer, faces_dir, person_video, make_window):
    """Issue 21: with nobody enrolled every visitor was taken through sign-in to "Not recognised"."""
    from kiosk.engine.aggregate import aggregate

    window = make_window(person_video("img6.jpg", "img11.jpg"))
    qtbot.waitUntil(lambda: window.nav.current_name == "attract", timeout=WAIT_MS)
    attract = window.nav.current
    qtbot.waitUntil(lambda: attract.preview.has_frame and window.ctx.analyzer is not None, timeout=WAIT_MS)
    assert attract.subtitle.text() == "Nobody is enrolled yet: sign-in opens once an admin enrolls people."
    assert not attract.start_button.isEnabled()
    qtbot.wait(3000)  # a face stands in front of the camera all this time
    assert window.nav.current_name == "attract" and not registry.audit_log(event="identify")
    window.ctx.registry.enroll("Angelina Jolie", "P01", aggregate([analyzer.embed_image(faces_dir / "deepface" / n) for n in ("img1.jpg", "img2.jpg")], min_valid=1, outlier_cosine=0.3))
    # A fleet pull on the sync thread announces changes from another kiosk (an id deleted there,
    # unknown here); the news reaches the attract screen on the GUI thread, through the model.
    pull = threading.Thread(target=window.ctx.registry.apply_remote, args=([], ["P99"]))
    pull.start()
    pull.join()
    qtbot.waitUntil(lambda: attract.start_button.isEnabled(), timeout=WAIT_MS)
    assert attract.subtitle.text() == "Look at the camera to sign in"
    qtbot.waitUntil(lambda: window.nav.current_name == "result", timeout=WAIT_MS)  # the face is taken to sign-in now


def test_a_face_too_far_away_is_asked_to_come_closer(qtbot, registry, analyzer, faces_dir, kiosk_settings):
    """Issue 21: a person whose face was too small stood 20 s in front of the kiosk with nothing said."""
    import dataclasses

    from kiosk.capture.types import FrameReport
    from kiosk.engine.types import TOO_SMALL
    from kiosk.ui.window import KioskWindow

    registry.enroll("Someone", "S1", _template(analyzer, faces_dir))
    window = KioskWindow(kiosk_settings)  # not started: the reports are sent by hand
    qtbot.addWidget(window)
    window.ctx.registry = registry
    attract = window.nav.go("attract")
    obs = analyzer.embed_image(faces_dir / "deepface" / "img1.jpg")
    far = dataclasses.replace(obs, reasons=[TOO_SMALL])
    attract.on_report(FrameReport(1, True, [far], far, reasons=[TOO_SMALL]))
    assert attract.subtitle.text() == "Please come a little closer"
    attract.on_report(FrameReport(2, True, [], None))  # they walked away
    assert attract.subtitle.text() == "Look at the camera to sign in"
    window.ctx.registry = None  # the fixture closes it


def _template(analyzer, faces_dir):
    from kiosk.engine.aggregate import aggregate

    return aggregate([analyzer.embed_image(faces_dir / "deepface" / "img1.jpg")], min_valid=1, outlier_cosine=0.3)
