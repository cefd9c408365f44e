"""Privacy on screen (issue 24 §4): the consent box on the enrollment review (required and refused,
ticked and recorded) and the person report on the people screen, in English and Korean.
Real models, real SQLCipher, real Qt (offscreen). Screenshots go to ``$KIOSK_SHOTS`` when set
(docs/screenshots/privacy-*.png were made so)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QScrollArea

from kiosk.flows import consent as consent_policy
from kiosk.flows import enroll
from kiosk.flows.enroll import Status, Step
from tests.ui.test_attendance_gui import screenshots, window  # noqa: F401 - window is a fixture

# The whole module is in the full suite only: about 32 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

WORDS = {
    "en": ("The person has read this and agrees (required)", "Not saved: this kiosk enrolls only people who agree.", "Name: Angelina Jolie", "What is kept"),
    "ko": ("본인이 읽고 동의했습니다 (필수)", "저장하지 않았습니다: 이 키오스크는 동의한 사람만 등록합니다.", "이름: Angelina Jolie", "보관 내용"),
}


def shot(window, qtbot, name: str) -> None:
    folder = os.environ.get("KIOSK_SHOTS")
    if folder:
        qtbot.wait(50)
        screenshots.save_png(window, Path(folder) / f"privacy-{name}-{window.languages.language}.png")


def _template(registry, analyzer, faces_dir, *names):
    return enroll.template_from_photos(analyzer, [faces_dir / "deepface" / n for n in names], enroll.outlier_cosine(registry))[0]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_consent_required_refuses_the_save_until_ticked_then_records_it(qtbot, window, registry, analyzer, faces_dir, kiosk_settings, lang):
    kiosk_settings.enroll.consent_required = True
    window.set_language(lang)
    screen = window.nav.go("enroll")
    screen.name_edit.setText("Angelina Jolie")
    screen.id_edit.setText("P01")
    batch = enroll.read_photos(analyzer, [faces_dir / "deepface" / n for n in ("img1.jpg", "img2.jpg", "img4.jpg")])
    screen.flow.review(batch.template(enroll.outlier_cosine(registry)), batch.pictures, batch.best_crop)  # as the photo job ends
    shot(window, qtbot, "review")
    screen.save_button.click()  # the consent page comes first
    assert screen.pages.currentWidget() is screen.consent_page and not screen.consent_box.isChecked()
    assert screen.consent_box.text() == WORDS[lang][0]
    heading = {"en": "Consent (version {v}): ", "ko": "동의 (버전 {v}): "}[lang].format(v=consent_policy.TEXT_VERSION)
    assert screen.consent_text.text().startswith(heading) and len(screen.consent_text.text()) > 150  # the whole text, translated
    screen.consent_save.click()
    assert screen.flow.status == Status.NEED_CONSENT and screen.consent_message.text().startswith(WORDS[lang][1])
    assert screen.pages.currentWidget() is screen.consent_page
    assert registry.people() == []
    assert registry.audit_log(event="enroll_refused")[0].detail.startswith("this kiosk enrolls only people who agreed")
    shot(window, qtbot, "consent-refused")
    screen.consent_box.setChecked(True)
    assert screen.consent_message.text() == ""  # the request goes once ticked
    shot(window, qtbot, "consent")
    screen.consent_save.click()
    assert screen.flow.step == Step.SAVED and screen.pages.currentWidget() is screen.review_page
    report = json.loads(_report_json(registry, "P01"))
    assert report["consent_version"] == consent_policy.TEXT_VERSION and report["consent_time"]


def _report_json(registry, external_id):
    from kiosk.flows.privacy import person_report

    return person_report(registry, external_id).to_json()


def test_consent_not_required_saves_at_once_and_records_none(qtbot, window, registry, analyzer, faces_dir):
    screen = window.nav.go("enroll")
    screen.name_edit.setText("Angelina Jolie")
    screen.id_edit.setText("P01")
    screen.flow.review(_template(registry, analyzer, faces_dir, "img1.jpg"))
    screen.save_button.click()  # consent not required: saved at once, as before
    assert screen.flow.step == Step.SAVED
    assert json.loads(_report_json(registry, "P01"))["consent_version"] is None


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_people_screen_shows_what_is_kept_and_after_deletion_nothing(qtbot, window, registry, analyzer, faces_dir, tmp_path, lang):
    template = _template(registry, analyzer, faces_dir, "img1.jpg", "img2.jpg")
    jolie = enroll.save(registry, "Angelina Jolie", "P01", template, consent=consent_policy.given_now())
    registry.record_punch(jolie.id, "in", "2026-12-07T08:00:00.000000+00:00")
    registry.identify(template.vector)
    window.set_language(lang)
    people = window.nav.go("people")
    assert people.select_person(jolie.id)
    assert people.report_button.text() == WORDS[lang][3]
    people.report_button.click()
    text = people.report_text.toPlainText()
    assert people.report.isVisible() and WORDS[lang][2] in text and "P01" in text
    assert "2026-12-07 08:00 UTC" in text  # the punch
    shot(window, qtbot, "report")
    people.write_report(tmp_path / "p01.json")
    data = json.loads((tmp_path / "p01.json").read_text(encoding="utf-8"))
    assert data["held"] and [a["event"] for a in data["audit"]] == ["enroll", "punch", "identify"]
    sealed = registry.db.conn.execute("SELECT sealed FROM templates").fetchone()[0]
    for written in (text, (tmp_path / "p01.json").read_text(encoding="utf-8")):
        assert f"{float(template.vector[0]):.5f}" not in written and sealed.hex()[:24] not in written
    people.write_report(tmp_path / "p01.txt")
    assert (tmp_path / "p01.txt").read_text(encoding="utf-8") == text

    people.ask_delete()
    assert not people.report.isVisible()
    people.confirm_yes.click()
    assert registry.people() == []
    after = json.loads(_report_json(registry, "P01"))
    assert not after["held"] and after["audit"] == [] and after["pseudonymised_on_deletion"]
    from kiosk.ui.screens.audit import entry_row

    rows = [entry_row(e, {}) for e in registry.audit_log() if e.event in ("enroll", "punch", "identify", "delete")]
    assert len(rows) == 4 and len({r[2] for r in rows}) == 1 and rows[0][2].startswith("deleted-")  # the viewer shows the pseudonym


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_settings_screen_sets_consent_and_retention(qtbot, window, kiosk_settings, lang):
    import tomllib

    window.set_language(lang)
    screen = window.nav.go("settings")
    box = screen.privacy_box
    assert box.title() == {"en": "Privacy", "ko": "개인정보"}[lang]
    assert (box.consent_required.isChecked(), box.audit_days.value(), box.stats_days.value(), box.punches_days.value()) == (False, 0, 90, 0)
    assert box.stats_days.maximum() == 90  # statistics are never kept longer
    box.consent_required.setChecked(True)
    box.audit_days.setValue(365)
    box.stats_days.setValue(30)
    screen.findChild(QScrollArea).ensureWidgetVisible(box)  # the screenshot shows the box
    shot(window, qtbot, "settings")
    screen.save_button.click()
    assert not kiosk_settings.enroll.consent_required  # Save asks first (tests/ui/test_settings_guard.py)
    screen.confirm_yes.click()
    assert kiosk_settings.enroll.consent_required and kiosk_settings.retention.audit_days == 365 and kiosk_settings.retention.stats_days == 30
    saved = tomllib.loads(kiosk_settings.config_path.read_text(encoding="utf-8"))
    assert saved["retention"] == {"audit_days": 365, "stats_days": 30, "punches_days": 0} and saved["enroll"]["consent_required"] is True


def test_the_running_kiosk_purges_daily(window, registry, kiosk_settings):
    """The model's purge (run when the services open, then by the window's daily timer) applies the settings."""
    from kiosk.ui.window import PURGE_MS

    with registry.db.transaction():
        registry.db.conn.execute("INSERT INTO audit(time, event, detail) VALUES ('2001-01-01T00:00:00.000000+00:00', 'export', 'old')")
    kiosk_settings.retention.audit_days = 30
    window.purge_timer.timeout.emit()  # the day is over
    assert [r.detail for r in registry.audit_log(event="retention_purge")] == ["audit 1, events 0, stats 0, punches 0"]
    assert window.purge_timer.interval() == PURGE_MS == 86_400_000
