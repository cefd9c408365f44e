"""Drive the real kiosk to every screen and save PNGs (docs/screenshots/).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--shared ../shared]

Everything is real: the test model pack, an encrypted database in a temporary data
folder (people enrolled from ../shared photos), an actor gallery built from
../shared/faces/friends_boostface, and video files made from photos as the camera.
Each screen is saved at 1080x1920 (portrait), 1920x1080 (landscape) and 762x960 (windowed, as
`kiosk run --windowed` opens) in English, and the visitor-facing screens again in Korean.
PNGs over 300 KB are colour-reduced.
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "windowed": (762, 960)}  # windowed: `kiosk run --windowed`
MAX_BYTES = 300_000
KOREAN_SCREENS = {"attract", "login", "result-accept", "result-spoof", "pin", "admin-home", "enroll-form", "people", "lookalike"}
# Faces for the admin (issue 15 part 3), shot last so the numbers of the screens above stay.
KOREAN_SCREENS |= {"people-faces", "enroll-photos-review", "enroll-duplicate"}
KOREAN_SCREENS |= {"dashboard-hours", "dashboard-speed", "dashboard-problems"}


def save_png(widget, path: Path) -> int:
    """Grab the window; reduce to a 256-colour palette if the PNG would be too large."""
    from PIL import Image

    widget.grab().save(str(path))
    with Image.open(path) as im:
        rgb = im.convert("RGB")
    for colors in (256, 128, 64):  # a camera picture on screen needs the most colours; UI alone needs few
        if path.stat().st_size <= MAX_BYTES:
            break
        rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path.stat().st_size


class Shooter:
    def __init__(self, app, window, out: Path, orientation: str) -> None:
        self.app, self.window, self.out, self.orientation = app, window, out, orientation
        self.saved: list[Path] = []

    def wait(self, ms: int) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def wait_for(self, predicate, timeout_ms: int = 60_000) -> bool:
        waited = 0
        while not predicate() and waited < timeout_ms:
            self.wait(50)
            waited += 50
        return predicate()

    def shot(self, name: str, korean: bool = False) -> None:
        self.wait(150)
        for lang in ("en", "ko") if korean and name in KOREAN_SCREENS else ("en",):
            if lang != self.window.languages.language:
                self.window.set_language(lang)
                self.wait(150)
            path = self.out / f"{self.orientation}-{len(self.saved) + 1:02d}-{name}-{lang}.png"
            size = save_png(self.window, path)
            self.saved.append(path)
            print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {size // 1024} KB")
        self.window.set_language("en")


def prepare(shared: Path, data_dir: Path):
    """Settings, analyzer, people and an actor gallery in a fresh data folder."""
    from kiosk.config import load_settings
    from kiosk.engine.aggregate import aggregate
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.pack import resolve_pack
    from kiosk.flows.faces import encode_crop
    from kiosk.gallery import DatasetSource, build_gallery
    from kiosk.registry import Registry

    settings = load_settings(data_dir=data_dir, overrides={"models": str(shared / "models" / "test-pack")})
    settings.ui.fullscreen = False
    settings.ui.result_seconds = 600
    settings.enroll.security = "standard"  # a video of still photos cannot turn its head (strict would refuse it)
    # The person videos are photos fitted into a dark frame: the enclosing-frame cue rightly refuses them.
    settings.login.frame_cue = settings.enroll.frame_cue = False
    analyzer = FaceAnalyzer.from_settings(resolve_pack(settings), settings)
    faces = shared / "faces" / "deepface"
    people = [
        ("Angelina Jolie", "E1001", ["img1.jpg", "img2.jpg", "img4.jpg"]),
        ("김민수", "E1002", ["img3.jpg", "img12.jpg"]),
        ("이지은", "E1003", ["img8.jpg", "img9.jpg"]),
        ("Daniel Park", "E1004", ["img13.jpg", "img14.jpg"]),
    ]
    with Registry.open(settings, analyzer.pack) as registry:
        registry.set_admin_pin("admin", "246810")
        for name, ext, photos in people:
            obs = [analyzer.embed_image(faces / p) for p in photos]
            best = max(obs, key=lambda o: o.quality).aligned
            registry.enroll(name, ext, aggregate(obs, min_valid=1, outlier_cosine=0.3), allow_duplicate=True, face=encode_crop(best))
        trend_history(registry)
    build_gallery(DatasetSource.from_folder(shared / "faces" / "friends_boostface" / "Train"), analyzer, data_dir)
    return settings, analyzer


def shoot_faces(s: Shooter, nav, photos: dict[str, list[Path]]) -> None:
    """The people list with faces and a person's detail, a photo review with used and unused
    pictures and why, and the look-alike warning with both faces."""
    s.window.ctx.admin_signed_in = True  # the operator screen before signed the admin out
    nav.go("people")
    people = nav.current
    people.select_person(people.people[0].id)
    s.shot("people-faces", korean=True)
    for name, shot in (("review", "enroll-photos-review"), ("duplicate", "enroll-duplicate")):
        nav.go("enroll")
        enroll = nav.current
        enroll.name_edit.setText("박성훈")
        enroll.id_edit.setText("E1005")
        enroll.enroll_from_files(photos[name])
        s.wait_for(lambda: enroll.pages.currentWidget() is enroll.review_page or "No usable" in enroll.form_message.text())
        s.shot(shot, korean=True)


def trend_history(registry, days: int = 30, seed: int = 15) -> None:
    """A month of sign-ins for the dashboard's pictures: busy office hours, a few retries and
    refusals, a dim morning (too dark), and the camera lost for 40 minutes this morning.
    Written through the same recording functions the kiosk uses."""
    import datetime as dt
    import random

    from kiosk.store import stats

    db = registry.db
    rnd, now = random.Random(seed), dt.datetime.now(dt.UTC)

    def iso(hours_ago: float, minutes_before: int = 0) -> str:
        return (now - dt.timedelta(hours=hours_ago, minutes=minutes_before)).isoformat(timespec="microseconds")

    with db.transaction():
        for h in range(24 * days):
            t = now - dt.timedelta(hours=h)
            local_hour = t.astimezone().hour  # office hours where the pictures are taken
            for _ in range(rnd.randint(3, 12) if 8 <= local_hour <= 18 else rnd.randint(0, 1)):
                outcome = rnd.choices(["accept", "retry", "reject", "spoof"], [86, 9, 4, 1])[0]
                dark = local_hour < 9
                rejected = {
                    "no_face": rnd.randint(0, 4),
                    "too_dark": rnd.randint(1, 4) if dark else rnd.randint(0, 1),
                    "blurry": rnd.randint(0, 1),
                    "too_small": rnd.randint(0, 2),
                    "looking_down": rnd.randint(0, 1),
                    "turned_left": rnd.randint(0, 1),
                }
                ms = int(rnd.lognormvariate(-0.35, 0.35) * 1000)
                stats.record_signin(
                    db, outcome, decision_ms=ms, frames_analyzed=3 + sum(rejected.values()), rejected=rejected, time=iso(h, rnd.randint(0, 59))
                )
        for live, start, end in ((True, days * 24.0, 5.0), (False, 5.0, 4.33), (True, 4.33, 0.02)):
            stats.extend_camera_span(db, stats.open_camera_span(db, live, time=iso(start)), time=iso(end))


def shoot(app, settings, analyzer, videos: dict[str, Path], out: Path, orientation: str, photos: dict[str, list[Path]]) -> list[Path]:
    from kiosk.flows.signin import REJECT, RETRY, SPOOF, ResultView
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(settings, camera=str(videos["jolie"]), analyzer=analyzer)
    window.resize(*SIZES[orientation])
    window.show()
    s = Shooter(app, window, out, orientation)
    nav = window.nav
    nav.go("splash")
    s.shot("splash")
    attract = nav.screen("attract")
    attract.auto_start = False  # stay on the attract screen with a face in view until asked
    window.start()
    s.wait_for(lambda: nav.current_name == "attract" and attract.preview.has_frame)
    s.wait(600)
    s.shot("attract", korean=True)
    # Hold the sign-in open long enough to photograph it (it normally ends in under a second).
    needed = settings.login.min_valid_frames
    settings.login.min_valid_frames, settings.login.max_frames = 1000, 2000
    attract.start_login()
    login = nav.screen("login")
    s.wait_for(lambda: login.view.progress.value() >= 2, 20_000)
    s.shot("login", korean=True)
    settings.login.min_valid_frames, settings.login.max_frames = needed, 30
    login.cancel_button.click()
    attract.start_login()
    s.wait_for(lambda: nav.current_name == "result")
    s.shot("result-accept", korean=True)
    for kind, view in (("retry", ResultView(RETRY, reason="too_dark")), ("reject", ResultView(REJECT)), ("spoof", ResultView(SPOOF))):
        nav.go("result", view=view)
        s.shot(f"result-{kind}", korean=True)
    s.window.ctx.registry.issue_setup_code()  # as the installer does: the first PIN waits for its code
    nav.go("pin", mode="setup")
    s.shot("first-pin")
    nav.go("attract")
    attract.admin_button.click()
    pin = nav.current
    pin.pad.type_pin("000000")
    s.shot("pin", korean=True)
    pin.pad.type_pin("246810")
    s.shot("admin-home", korean=True)
    nav.current.buttons["enroll"].click()
    enroll = nav.current
    enroll.keyboard.mode_key.click()
    enroll.keyboard.type_keys("ㅂㅏㄱㅅㅓㅇㅎㅜㄴ")
    enroll.keyboard.done_key.click()
    enroll.keyboard.mode_key.click()
    enroll.keyboard.type_keys("e1005")
    s.shot("enroll-form", korean=True)
    enroll.camera_button.click()
    s.wait(1500)
    s.shot("enroll-capture")
    s.wait_for(lambda: enroll.pages.currentWidget() is not enroll.capture_page)
    s.shot("enroll-review")
    enroll.done_button.click() if enroll.done_button.isVisible() else nav.go("admin_home")
    nav.go("people")
    s.shot("people", korean=True)
    nav.go("settings")
    s.wait_for(lambda: nav.current.score is not None, 30_000)
    s.shot("settings")
    nav.go("audit")
    s.shot("audit")
    nav.go("lookalike")
    look = nav.current
    s.wait_for(lambda: look.pages.currentWidget() is look.result_page, 30_000)
    s.shot("lookalike", korean=True)
    nav.go("out_of_order")
    s.shot("out-of-order")
    nav.go("operator", problem="store", detail="database key missing: set KIOSK_DB_KEY or run `kiosk db init`")
    s.shot("operator")
    shoot_faces(s, nav, photos)
    # Last, so the earlier shots keep their numbers; prepare() wrote a month of history.
    window.ctx.admin_signed_in = True  # the out-of-order page signed the admin out
    nav.go("admin_home")
    nav.current.buttons["dashboard"].click()
    dashboard = nav.current
    for view, name in enumerate(("hours", "days", "speed", "problems")):
        dashboard.show_view(view)
        s.shot(f"dashboard-{name}", korean=True)
    window.shutdown()  # a started window asks for the admin PIN on close (guarded exit): stop it first
    window.close()
    window.deleteLater()
    app.processEvents()
    return s.saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--orientation", choices=sorted(SIZES), action="append", help="default: all three")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    os.environ["KIOSK_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("KIOSK_DB_KEY", secrets.token_hex(32))
    os.environ.setdefault("KIOSK_RUNTIME_PROVIDERS", "CPUExecutionProvider")
    from kiosk.ui.app import ensure_application

    app = ensure_application()
    settings, analyzer = prepare(args.shared, tmp / "data")
    faces = args.shared / "faces" / "deepface"
    # Photos the passive liveness model scores live once scaled into a 640x480 frame.
    from person_video import make_person_video

    videos = {"jolie": make_person_video([faces / "img6.jpg", faces / "img1.jpg", faces / "img2.jpg"], tmp / "jolie.avi", frames=400)}
    broken = tmp / "scan-003.jpg"
    broken.write_bytes(b"not a picture")
    photos = {  # P05, one of P01 (the outlier), a file that does not open, a couple, P05 again
        "review": [faces / "img16.jpg", faces / "img17.jpg", faces / "img1.jpg", broken, faces / "couple.jpg", faces / "img59.jpg"],
        "duplicate": [faces / "img5.jpg"],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for orientation in args.orientation or tuple(SIZES):
        for old in args.out.glob(f"{orientation}-*.png"):
            old.unlink()
        shoot(app, settings, analyzer, videos, args.out, orientation, photos)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
