"""One rule, one place: ``kiosk users add`` and the enroll screen, given the same photos, end alike.

Each front end gets its own real database. The photos mix three of deepface P01,
one of P02 (an outlier among them), an unreadable file and a two-person photo;
then a second person is enrolled under P01's ID (saved anyway despite the same
face), which both must refuse and audit as ``enroll_refused``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.config import load_settings
from kiosk.registry import Registry

WAIT_MS = 60_000
ENROLL_EVENTS = ("enroll", "enroll_refused", "re_enroll")


@pytest.fixture
def photos(faces_dir, tmp_path) -> list[Path]:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("img1.jpg", "img2.jpg", "img4.jpg", "img3.jpg", "couple.jpg"):
        shutil.copy(faces_dir / "deepface" / name, folder / name)
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    return sorted(folder.iterdir())


def audit_rows(registry) -> list[tuple]:
    by_id = {p.id: p.external_id for p in registry.people()}
    rows = [e for e in reversed(registry.audit_log()) if e.event in ENROLL_EVENTS]
    return [(e.event, e.decision, by_id.get(e.person_id), None if e.score is None else round(e.score, 4), e.detail) for e in rows]


def cli_enroll(capsys, data_dir, *argv) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), "users", "add", *argv])
    return code, capsys.readouterr().err


def gui_enroll(qtbot, screen, name, external_id, files):
    screen.restart()
    screen.name_edit.setText(name)
    screen.id_edit.setText(external_id)
    screen.enroll_from_files(files)
    qtbot.waitUntil(lambda: screen.photos_button.isEnabled(), timeout=WAIT_MS)
    assert screen.pages.currentWidget() is screen.review_page, screen.form_message.text()
    screen.save_button.click()


def test_cli_and_screen_enrolling_the_same_photos_agree(qtbot, capsys, registry, photos, faces_dir, make_window, person_video, tmp_path, models_dir, pack):
    cli_dir = tmp_path / "cli-kiosk"
    code, err = cli_enroll(capsys, cli_dir, "--name", "Angelina Jolie", "--id", "P01", *map(str, photos))
    assert code == 0, err
    cli_skipped = sorted(line.split(": ", 1)[0].rsplit("/", 1)[-1] for line in err.splitlines() if line.startswith("skipped "))
    img5 = faces_dir / "deepface" / "img5.jpg"
    code, err = cli_enroll(capsys, cli_dir, "--name", "Someone", "--id", "P01", "--allow-duplicate", str(img5))
    assert code != 0 and "already enrolled" in err

    window = make_window(person_video("img3.jpg", frames=30))
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True
    window.nav.go("enroll")
    screen = window.nav.current
    gui_enroll(qtbot, screen, "Angelina Jolie", "P01", photos)
    gui_skipped = sorted(s.path.rsplit("/", 1)[-1] for s in screen.flow.photo_skips)
    assert screen.review_title.text() == "Angelina Jolie is enrolled."
    gui_enroll(qtbot, screen, "Someone", "P01", [img5])
    assert screen.duplicate is not None and screen.review_title.text().startswith("Not saved: id 'P01' is already enrolled")

    assert cli_skipped == gui_skipped == ["broken.jpg", "couple.jpg", "img3.jpg"]
    with Registry.open(load_settings(data_dir=cli_dir, overrides={"models": str(models_dir)}), pack) as cli_registry:
        assert [(p.name, p.external_id, p.templates) for p in cli_registry.people()] == [(p.name, p.external_id, p.templates) for p in registry.people()]
        cli_rows = audit_rows(cli_registry)
    gui_rows = audit_rows(registry)
    assert [r[0] for r in gui_rows] == ["enroll", "enroll_refused"]
    assert cli_rows == gui_rows
