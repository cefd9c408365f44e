"""Card + face screens (docs/modes.md) in English and Korean: docs/screenshots/verify-*.png.

    .venv/bin/python scripts/screenshots_verify.py [--out docs/screenshots] [--shared ../shared]

The same real kiosk as ``scripts/screenshots.py`` (its ``prepare``: test pack, encrypted
database, people from ../shared photos), with ``login.mode = verify`` and the fallback PIN
on. The badge is a burst of real key events at the window, as a USB reader's arrive. Shot
in portrait (1080x1920) and landscape (1920x1080): the attract screen asking for an id,
the keypad, an accepted verify, a face that did not match with the PIN offered, the
fallback PIN pad, the wait of a locked id, and the admin's people screen with that lockout
and with a personal PIN being set.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from screenshots import SIZES, Shooter, prepare, save_png  # noqa: E402

ORIENTATIONS = ("portrait", "landscape")
PIN = "975310"


class VerifyShooter(Shooter):
    def shot(self, name: str, korean: bool = True) -> None:
        self.wait(150)
        for lang in ("en", "ko"):
            if lang != self.window.languages.language:
                self.window.set_language(lang)
                self.wait(150)
            path = self.out / f"verify-{self.orientation}-{len(self.saved) + 1:02d}-{name}-{lang}.png"
            size = save_png(self.window, path)
            self.saved.append(path)
            print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {size // 1024} KB")
        self.window.set_language("en")


def swipe(window, claim: str) -> None:
    """A badge reader's burst: the id then Enter, as key presses at the window, 4 ms apart
    (offscreen stamps no key times: the listener's clock steps as a reader's keys would)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    step = [0.0]

    def stepping() -> float:
        step[0] += 0.004
        return step[0]

    window.badges.clock = stepping
    window.badges.os_timestamps = False  # QTest's key events carry made-up stamps
    for ch in claim:
        QTest.keyClick(window.windowHandle(), ch)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Return)


def shoot(settings, camera: Path, out: Path, orientation: str) -> None:
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(settings, camera=str(camera), analyzer=ANALYZER)
    window.resize(*SIZES[orientation])
    window.show()
    s = VerifyShooter(None, window, out, orientation)
    nav = window.nav
    now = [1_800_000_000.0]
    window.ctx.wall_clock = lambda: now[0]
    window.start()
    attract = nav.screen("attract")
    s.wait_for(lambda: nav.current_name == "attract" and attract.preview.has_frame and window.ctx.analyzer is not None)
    s.wait(600)
    s.shot("attract")
    attract.start_login()
    claim = nav.current
    for ch in "2087":  # an employee number being typed
        claim.pad.keys[ch].click()
    s.shot("keypad")
    claim.cancel_button.click()
    s.wait_for(lambda: nav.current_name == "attract")
    swipe(window, "E1001")  # Angelina Jolie's badge, her face in view
    s.wait_for(lambda: nav.current_name == "verify_result")
    s.shot("accept")
    nav.go("attract")
    swipe(window, "E1002")  # 김민수's badge, Jolie's face in view
    s.wait_for(lambda: nav.current_name == "verify_result")
    s.shot("not-confirmed-pin-offered")
    nav.current.pin_button.click()
    pad = nav.current
    for ch in "97":
        pad.pad.keys[ch].click()
    s.shot("fallback-pin")
    registry = window.ctx.registry
    person = registry.find_person("E1002")
    for _ in range(5):
        registry.check_person_pin(person.id, "000000", now[0])
    nav.go("attract")
    swipe(window, "E1002")
    s.wait_for(lambda: nav.current_name == "verify_result")
    now[0] += 12
    nav.current.retranslate()
    s.shot("locked")
    window.ctx.admin_signed_in = True
    nav.go("people")
    people = nav.current
    people.select_person(person.id)
    s.shot("people-lockout")
    people.signin_box.pin_button.click()
    for ch in "975":
        people.signin_box.pad.keys[ch].click()
    s.shot("people-set-pin")
    window.shutdown()
    window.close()


ANALYZER = None


def main(argv: list[str] | None = None) -> int:
    global ANALYZER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-verify-shots-"))
    os.environ["KIOSK_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("KIOSK_DB_KEY", secrets.token_hex(32))
    os.environ.setdefault("KIOSK_RUNTIME_PROVIDERS", "CPUExecutionProvider")
    from kiosk.registry import Registry
    from kiosk.ui.app import ensure_application

    ensure_application()
    settings, ANALYZER = prepare(args.shared, tmp / "data")
    settings.login.mode, settings.login.pin_fallback = "verify", True
    with Registry.open(settings, ANALYZER.pack) as registry:
        registry.set_person_pin(registry.find_person("E1002").id, PIN)
    faces = args.shared / "faces" / "deepface"
    from person_video import make_person_video

    camera = make_person_video([faces / "img6.jpg", faces / "img1.jpg", faces / "img2.jpg"], tmp / "jolie.avi", frames=400)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("verify-*.png"):
        old.unlink()
    for orientation in ORIENTATIONS:
        shoot(settings, camera, args.out, orientation)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
