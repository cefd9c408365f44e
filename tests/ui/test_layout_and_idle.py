"""Touch targets, text that fits, in both orientations and languages; idle timeout out of admin screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStyleOptionGroupBox,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.navigation import ScreenName

# The whole module is in the full suite only: about 41 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

SCREENS = tuple(ScreenName)  # every screen there is, a new one included


@pytest.fixture
def styled(qapp):
    """The kiosk's own font and style sheet (as ``kiosk run`` sets them): text widths depend on both."""
    from kiosk.ui.app import ensure_application

    font, sheet = qapp.font(), qapp.styleSheet()
    ensure_application()
    yield qapp
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


@pytest.fixture
def window(qtbot, kiosk_settings):
    from kiosk.ui.window import KioskWindow

    now = [1000.0]
    kiosk_settings.ui.language = "en"
    win = KioskWindow(kiosk_settings, clock=lambda: now[0])  # not started: layout needs no models
    win.now = now
    qtbot.addWidget(win)
    win.show()
    yield win
    win.set_language("en")


@pytest.fixture(scope="module")
def face_template(analyzer, faces_dir):
    from kiosk.engine.aggregate import aggregate

    return aggregate([analyzer.embed_image(faces_dir / "deepface" / "img1.jpg")], min_valid=1, outlier_cosine=0.3)


@pytest.fixture
def filled_registry(registry, pack, kiosk_settings, face_template):
    """What an admin's tables hold: names in both scripts, one person to re-enroll, every kind of audit row."""
    import dataclasses

    from kiosk.registry import Registry

    with Registry.open(kiosk_settings, dataclasses.replace(pack, name="retired-pack")) as old:  # as after a model change
        old.enroll("Daniel Park", "E1004", face_template)
    people = {}
    for name, ext in (("Angelina Jolie", "E1001"), ("김민수", "E1002"), ("Maximilian Featherstone", "E1003")):
        people[name] = registry.enroll(name, ext, face_template, allow_duplicate=True)
    registry.audit("admin_login")
    registry.audit("identify", person_id=people["김민수"].id, score=0.8123, decision="accept")
    registry.audit("identify", score=0.2011, decision="reject")
    registry.record_event("identify", decision="spoof")
    registry.audit("identify", score=0.3712, decision="retry")
    registry.audit("audit_export", detail="12 rows")
    registry.record_event("camera_lost", detail="camera 0 stopped delivering frames")
    registry.record_event("model_cpu_fallback", detail="CUDAExecutionProvider unavailable")
    registry.audit("settings_saved")
    return registry


# The windowed default (762x960, issue 15), the kiosk's portrait and landscape screens, and two tablets.
SIZES = [(762, 960), (1080, 1920), (1920, 1080), (1280, 800), (800, 1280)]
SLACK_PX = 2  # the probe's rounding: a layout that gives a button its own size hint can read 1 px short
MAX_ROWS = 200  # table rows measured per view


def button_text_width(b: QAbstractButton) -> int:
    """The width a button needs for its text: the text plus the style sheet's padding and border.

    ``contentsRect()`` ignores style-sheet padding and ``sizeHint()`` has an 80 px floor, so
    the padding is measured once on a text long enough to be past that floor.
    """
    text, probe = b.text(), "W" * 40
    b.setText(probe)
    padding = b.sizeHint().width() - b.fontMetrics().horizontalAdvance(probe)
    b.setText(text)
    return b.fontMetrics().horizontalAdvance(text) + padding - SLACK_PX


def label_problem(label: QLabel) -> str | None:
    """Why a label's text does not show whole: wrapped text taller than the label, or a line wider."""
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return f"needs {needed} px of height, has {label.height()}" if needed > label.height() else None
    needed = label.sizeHint().width()  # the text's width plus the style sheet's margins and padding
    return f"needs {needed} px, has {label.width()}" if needed > label.width() else None


def button_problems(b: QAbstractButton):
    if b.height() < 48 or b.width() < 48:
        yield f"is {b.width()}x{b.height()}, under a 48 px touch target"
    if (needed := button_text_width(b)) > b.width():
        yield f"needs {needed} px, has {b.width()}"


def combo_problems(c: QComboBox):
    """Each item as it would show once chosen: the closed combo elides what does not fit its field."""
    opt = QStyleOptionComboBox()
    c.initStyleOption(opt)
    field = c.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, c).width()
    for i in range(c.count()):
        icon = 0 if c.itemIcon(i).isNull() else c.iconSize().width() + 4
        if (needed := c.fontMetrics().horizontalAdvance(c.itemText(i)) + icon) > field + SLACK_PX:
            yield f"item {c.itemText(i)!r} needs {needed} px, has {field}"


def placeholder_problems(e: QLineEdit):
    """The hint an empty field shows (Qt elides a placeholder that is too long)."""
    if not e.placeholderText():
        return
    opt = QStyleOptionFrame()
    e.initStyleOption(opt)
    margins = e.textMargins()
    room = e.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, e).width() - margins.left() - margins.right() - 4  # 2 px each side, QLineEdit's own
    if (needed := e.fontMetrics().horizontalAdvance(e.placeholderText())) > room:
        yield f"hint {e.placeholderText()!r} needs {needed} px, has {room}"


def group_problems(g: QGroupBox):
    opt = QStyleOptionGroupBox()
    g.initStyleOption(opt)
    title = g.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, opt, QStyle.SubControl.SC_GroupBoxLabel, g)
    needed = title.left() + g.fontMetrics().horizontalAdvance(g.title())
    if g.title() and needed > g.width():
        yield f"title {g.title()!r} needs {needed} px, has {g.width()}"


def tab_problems(bar: QTabBar):
    space = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    for i in range(bar.count()):
        icon = 0 if bar.tabIcon(i).isNull() else bar.iconSize().width() + 4
        needed = bar.fontMetrics().horizontalAdvance(bar.tabText(i)) + space + icon
        if bar.tabText(i) and bar.tabRect(i).width() < needed:
            yield f"tab {bar.tabText(i)!r} needs {needed} px, has {bar.tabRect(i).width()}"


def view_problems(v: QAbstractItemView):
    """Header sections and cells (tables, lists): a delegate elides what its cell cannot hold."""
    model = v.model()
    if model is None or isinstance(v, QHeaderView):  # a table's headers are measured with the table
        return
    headers = [v.horizontalHeader()] if isinstance(v, QTableView) else []  # the kiosk's tables show no row numbers
    for h in headers:
        for i in range(h.count()) if h.isVisible() else ():
            text = model.headerData(i, h.orientation())
            along = h.sectionSize(i)
            if text and not h.isSectionHidden(i) and (needed := h.sectionSizeHint(i)) > along:
                yield f"header {text!r} needs {needed} px, has {along}"
    if v.horizontalScrollBar().maximum() > 0:
        yield "scrolls sideways (every column should show at once)"
    columns = 1 if isinstance(v, QListView) else model.columnCount(v.rootIndex())  # a list model hides columnCount
    for r in range(min(model.rowCount(v.rootIndex()), MAX_ROWS)):
        for c in range(columns):
            index = model.index(r, c, v.rootIndex())
            text = index.data()
            if not text or isinstance(v, QTableView) and (v.isRowHidden(r) or v.isColumnHidden(c)):
                continue
            opt = QStyleOptionViewItem()
            v.initViewItemOption(opt)
            opt.rect = v.visualRect(index)
            delegate = v.itemDelegateForRow(r) or v.itemDelegateForColumn(c) or v.itemDelegate()
            needed = delegate.sizeHint(opt, index)
            if needed.width() > opt.rect.width() + SLACK_PX or needed.height() > opt.rect.height() + SLACK_PX:
                yield f"cell ({r}, {c}) {text!r} needs {needed.width()}x{needed.height()} px, has {opt.rect.width()}x{opt.rect.height()}"


def scroll_problems(a: QScrollArea):
    body = a.widget()
    if body is not None and (needed := max(body.minimumSizeHint().width(), body.minimumWidth())) > a.viewport().width():
        yield f"scrolls sideways: its contents need {needed} px, has {a.viewport().width()}"


def spill_problem(w: QWidget) -> str | None:
    """A widget pushed past its parent's edge (a layout squeezed below its minimum) is cut there."""
    parent = w.parentWidget()
    if parent is None or isinstance(parent.parentWidget(), QAbstractScrollArea) and parent is parent.parentWidget().viewport():
        return None  # the contents of a scroll area move under its viewport
    outside = parent.rect().adjusted(-1, -1, 1, 1)
    return None if outside.contains(w.geometry()) else f"at {w.geometry().getRect()} spills out of its parent's {parent.width()}x{parent.height()}"


CHECKS = (
    (QAbstractButton, lambda b: button_problems(b) if b.text() else ()),
    (QLabel, lambda lab: [why] if (why := label_problem(lab)) else []),
    (QComboBox, combo_problems),
    (QLineEdit, placeholder_problems),
    (QGroupBox, group_problems),
    (QTabBar, tab_problems),
    (QAbstractItemView, view_problems),
    (QScrollArea, scroll_problems),
)


def describe(w: QWidget) -> str:
    text = w.text() if isinstance(w, (QAbstractButton, QLabel)) else w.title() if isinstance(w, QGroupBox) else ""
    return f"{type(w).__name__} {w.objectName() or '-'}" + (f" {text!r}" if text else "")


def fit_problems(screen: QWidget) -> list[str]:
    """Every text on ``screen`` that does not show whole, as '<widget kind> <object name> <text>: why'."""
    problems = []
    for w in screen.findChildren(QWidget):
        if not w.isVisibleTo(screen):
            continue
        if why := spill_problem(w):
            problems.append(f"{describe(w)}: {why}")
        for kind, check in CHECKS:
            if isinstance(w, kind):
                problems.extend(f"{describe(w)}: {why}" for why in check(w))
    return problems


def _result(kind: str, **kw):
    from kiosk.flows.signin import ResultKind, ResultView

    return lambda w: w.nav.go("result", view=ResultView(ResultKind(kind), **kw))


def _punch(status: str):
    import datetime as dt

    from kiosk.flows.attendance import Direction, PunchStatus, PunchView

    time = dt.datetime(2026, 12, 1, 9, 2, tzinfo=dt.UTC)
    return PunchView(PunchStatus(status), Direction.OUT, time, 1) if status == "recorded" else PunchView(PunchStatus(status))


def _punch_result(w, status: str) -> None:
    _result("accept", name="Maximilian Featherstone", score=0.81, person_id=1, punch=_punch(status))(w)


def _people_searching(w) -> None:
    w.nav.go("people").keyboard_button.click()


def _people_deleting(w) -> None:
    people = w.nav.go("people")
    people.table.selectRow(0)
    people.delete_button.click()  # the confirmation bar, with the person's name


def _people_chosen(w) -> None:
    people = w.nav.go("people")
    people.table.selectRow(0)  # the detail, and card + face's standing with its two buttons


def _people_setting_pin(w) -> None:
    people = w.nav.go("people")
    people.table.selectRow(0)
    people.signin_box.pin_button.click()  # card + face: the personal PIN pad takes the list's room


def _verify(kind: str, **kw):
    from kiosk.flows.verify import VerifyKind, VerifyView

    return lambda w: w.nav.go("verify_result", view=VerifyView(VerifyKind(kind), "E2001-0042", **kw))


def _enroll_review(w) -> None:
    """Photo enrollment read to its review: one picture used, one skipped, a look-alike warning."""
    from kiosk.flows.enroll import PHOTO_PROBLEMS, embed_photo

    enroll = w.nav.go("enroll")
    enroll.name_edit.setText("Maximilian Featherstone")
    enroll.id_edit.setText("E2001")
    broken = w.ctx.settings.data_dir / "scanned-badge-photo.jpg"
    broken.write_bytes(b"not a picture")
    path = enroll.flow.start_photos([w.faces / "deepface" / "img2.jpg", broken])
    while path is not None:
        try:
            path = enroll.flow.photo_read(embed_photo(w.ctx.analyzer, path))
        except PHOTO_PROBLEMS as exc:
            path = enroll.flow.photo_read(None, exc)
    assert enroll.duplicate is not None and enroll.flow.photo_skips  # the longest review there is


def _pin_setup(pin: str):
    """The first PIN's choice, past the setup code (accepted here without one: only the texts are measured)."""

    def show(w):
        _pin_not_set_up(w)
        screen = w.nav.current
        screen.armed = True
        screen.setup.code_accepted("00000000")
        screen.pad.set_keys_enabled(True)
        screen.pad.type_pin(pin)

    return show


def _pin_not_set_up(w):
    """A database with no admin and no setup code (this one has an admin: the screen would leave)."""
    registry, w.ctx.registry = w.ctx.registry, None
    w.nav.go("pin", mode="setup")
    w.ctx.registry = registry


def _pin_exit_asking_pin(w):
    w.ctx.admin_signed_in = False
    w.nav.go("pin", mode="exit")


def _enroll_capture_failed(w):
    from kiosk.capture.types import CaptureOutcome, CaptureResult, LivenessVerdict

    enroll = w.nav.go("enroll")
    enroll.flow.capture_finished(CaptureResult("enroll", CaptureOutcome.CHALLENGE_FAILED, None, 40, 30, 0, {}, LivenessVerdict(0.9, True, False), 12.0))


def _settings_confirming(w):
    settings = w.nav.go("settings")
    settings.high.setValue(0.2)
    settings.profile_widgets[("login", "liveness")].setChecked(False)
    settings.save_button.click()


def _enroll_consent(w) -> None:
    """The consent page (enroll.consent_required), its save refused for want of the tick."""
    w.ctx.settings.enroll.consent_required = True
    try:
        _enroll_review(w)
        enroll = w.nav.current
        enroll.save_button.click()
        enroll.consent_save.click()
        assert enroll.consent_message.text()
    finally:
        w.ctx.settings.enroll.consent_required = False


# Screens again in the states with the longest texts: "<screen>: <state>", and how to get there.
def _teach_recording(w):
    from kiosk.flows.teach import Recording

    screen = w.nav.go("teach")
    screen.start(Recording.attacks())
    screen.recording.no_face = 10  # the longest prompt: no face seen
    screen.retranslate()


def _teach_result(w):
    """The retrain's answer as the screen shows it (the figures are data: any values fit the same)."""
    import numpy as np

    from kiosk.engine.pad_fusion import Logistic
    from kiosk.engine.pad_train import HeldOut, TrainedFusion
    from kiosk.engine.site_liveness import Figures
    from kiosk.flows.teach import TeachOutcome

    screen = w.nav.go("teach")
    model = Logistic(np.zeros(1), np.ones(1), np.ones(1), 0.0)
    fusion = TrainedFusion(("MiniFASNetV2.onnx@1.5:0",), model, b"", 0.31, 0.2, 0.4, HeldOut("leave one source out", (), np.zeros(0)))
    figures = Figures(0.5, 0.667, 0.125, 10, 30)
    screen.outcome = TeachOutcome(False, figures, figures, {}, {}, 2300, fusion)
    screen.pages.setCurrentIndex(2)
    screen.retranslate()


STATES = [
    ("pin: not set up", _pin_not_set_up),
    ("pin: first PIN too short", _pin_setup("12")),
    ("pin: first PIN guessable", _pin_setup("123456")),
    ("pin: exit PIN", _pin_exit_asking_pin),  # before the confirmation: the pad shown again right after it
    ("pin: exit confirmation", lambda w: w.nav.go("pin", mode="exit")),  # leaves the window's minimum stale for one pass
    ("settings: confirm a weaker kiosk", _settings_confirming),
    ("result: accepted", _result("accept", name="Maximilian Featherstone", score=0.81)),
    ("result: retry", _result("retry", reason="challenge_failed")),
    ("result: refused", _result("reject")),
    ("result: spoof", _result("spoof")),
    ("result: attendance, switch offered", lambda w: _punch_result(w, "recorded")),
    ("result: attendance, not recorded", lambda w: _punch_result(w, "failed")),
    ("enroll: name and ID asked for", lambda w: w.nav.go("enroll").camera_button.click()),
    ("enroll: capture failed, with advice", _enroll_capture_failed),
    ("enroll: review", _enroll_review),
    ("enroll: consent refused", _enroll_consent),
    ("people: keyboard", _people_searching),
    ("people: delete confirmation", _people_deleting),
    ("people: chosen", _people_chosen),
    ("people: personal PIN", _people_setting_pin),
    ("verify_result: not confirmed, PIN offered", _verify("reject", offer_pin=True)),
    ("verify_result: locked", _verify("locked", wait_s=3600)),
    ("verify_result: attendance, switch offered", lambda w: _verify("accept", name="Maximilian Featherstone", person_id=1, punch=_punch("recorded"))(w)),
    ("operator: database", lambda w: w.nav.go("operator", problem="store", detail="database key missing: set KIOSK_DB_KEY or run `kiosk db init`")),
    ("teach: recording", _teach_recording),
    ("teach: retrain result", _teach_result),
]

SIZE_PARAMS = [pytest.param(size, id=f"{size[0]}x{size[1]}") for size in SIZES]


@pytest.mark.parametrize("size", SIZE_PARAMS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_button_is_a_touch_target_and_its_text_fits(qtbot, styled, window, filled_registry, analyzer, faces_dir, size, lang):
    window.ctx.registry, window.ctx.analyzer, window.faces = filled_registry, analyzer, faces_dir
    window.resize(*size)
    window.set_language(lang)
    problems = []
    for name, show in [(name, lambda w, n=name: w.nav.go(n)) for name in SCREENS] + STATES:
        window.ctx.admin_signed_in = True
        show(window)
        window.resize(*size)  # back from a taller screen before (a window does not shrink by itself)
        qtbot.wait(20)
        screen = window.nav.current
        assert screen.name == name.split(":")[0]
        where = f"{name} at {size[0]}x{size[1]} in {lang}"
        if (window.width(), window.height()) != size:  # a layout's minimum size pushed the window past the screen
            problems.append(f"{where}: needs {window.width()}x{window.height()}")
        problems.extend(f"{where}: {p}" for p in fit_problems(screen))
    assert not problems, "\n".join(problems)


def squeezed_page(room: int) -> tuple[QWidget, list[str]]:
    """One widget of each kind the checker measures, given ``room`` px: what each must be named by."""
    page = QWidget()
    page.resize(room + 40, 1000)
    v = QVBoxLayout(page)
    widgets = []

    def add(w: QWidget, name: str) -> QWidget:
        w.setObjectName(name)
        w.setFixedWidth(room)
        v.addWidget(w)
        widgets.append(name)
        return w

    add(QLabel("A label with a line too long for it"), "longLabel")
    wrapped = add(QLabel("Wrapped words that need more lines than the label has height for"), "wrappedLabel")
    wrapped.setWordWrap(True)
    wrapped.setFixedHeight(40)
    add(QPushButton("A button whose text is long"), "longButton").setMinimumHeight(64)
    add(QComboBox(), "longCombo").addItems(["Short", "An item much longer than the combo"])
    add(QLineEdit(), "longHint").setPlaceholderText("A hint longer than the field it is in")
    add(QGroupBox("A group title longer than its box"), "longGroup").setFixedHeight(60)
    tabs = add(QTabBar(), "longTabs")
    tabs.setExpanding(False)
    tabs.setUsesScrollButtons(False)
    tabs.setElideMode(Qt.TextElideMode.ElideRight)
    for text in ("First tab title", "Second tab title", "Third tab title"):
        tabs.addTab(text)
    table = add(QTableWidget(1, 2), "longCells")
    table.setHorizontalHeaderLabels(["A header longer than its column", "B"])
    table.setItem(0, 0, QTableWidgetItem("Supercalifragilisticexpialidocious"))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setFixedHeight(120)
    add(QListWidget(), "longItems").addItem("A list item too long to show whole in this list")
    scroll = add(QScrollArea(), "wideBody")
    body = QWidget()
    body.setMinimumWidth(300)
    scroll.setWidget(body)
    scroll.setWidgetResizable(True)
    scroll.setFixedHeight(80)
    return page, widgets


def test_the_checker_names_every_text_that_does_not_fit(qtbot, styled):
    """The walk above passes only if this fails: each kind of cut text is found and named."""
    page, names = squeezed_page(120)
    qtbot.addWidget(page)
    page.show()
    qtbot.wait(20)
    problems = fit_problems(page)
    missed = [n for n in names if not any(f" {n} " in p or p.split(":")[0].endswith(f" {n}") for p in problems)]
    assert not missed, f"the checker missed {missed} in:\n" + "\n".join(problems)
    spilled = QPushButton("OK", page)
    spilled.setGeometry(page.width() - 20, 0, 64, 64)  # half past the page's right edge
    spilled.show()
    assert any(p.startswith("QPushButton - 'OK': at ") and "spills out" in p for p in fit_problems(page))


def test_the_checker_passes_the_same_widgets_with_room(qtbot, styled):
    page, _names = squeezed_page(1400)
    qtbot.addWidget(page)
    page.show()
    qtbot.wait(20)
    page.findChild(QLabel, "wrappedLabel").setFixedHeight(200)
    page.findChild(QGroupBox, "longGroup").setFixedHeight(120)
    page.findChild(QTableWidget, "longCells").setFixedHeight(160)
    assert fit_problems(page) == []


def test_idle_admin_screen_returns_to_attract_and_signs_out(qtbot, window):
    window.resize(1080, 1920)
    window.ctx.admin_signed_in = True
    window.nav.go("settings")
    window.now[0] += window.ctx.settings.ui.idle_timeout_s - 1
    window.check_idle()
    assert window.nav.current_name == "settings"
    window.now[0] += 1
    window.check_idle()
    assert window.nav.current_name == "attract"
    assert not window.ctx.admin_signed_in
    window.nav.go("admin_home")  # signed out: an admin screen asks for the PIN again
    assert window.nav.current_name == "pin"


def test_touch_resets_the_idle_timer(qtbot, window):
    window.resize(1080, 1920)
    window.ctx.admin_signed_in = True
    window.nav.go("people")
    window.now[0] += window.ctx.settings.ui.idle_timeout_s - 5
    qtbot.mouseClick(window.nav.current.search, Qt.MouseButton.LeftButton)
    window.now[0] += 10
    window.check_idle()
    assert window.nav.current_name == "people"


def test_kiosk_mode_is_left_only_through_the_admin_screen(qtbot, window):
    window.kiosk_mode = True
    window.close()  # what Alt+F4 or a window manager asks
    assert window.isVisible() and (window.nav.current_name, window.nav.current.mode) == ("pin", "exit")  # the admin PIN first
    window.ctx.admin_signed_in = True
    window.nav.go("admin_home")
    window.nav.current.buttons["exit"].click()
    assert window.isVisible()  # signed in: a confirmation first (tests/ui/test_exit.py)
    window.nav.current.confirm_exit_button.click()
    assert not window.isVisible()


def test_hide_cursor_setting_blanks_the_pointer_everywhere_and_back(qtbot, window):
    from PySide6.QtWidgets import QApplication

    window.ctx.settings.ui.hide_cursor = True
    window.apply_cursor()
    window.apply_cursor()  # idempotent: one override, not a stack of them
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    window.ctx.settings.ui.hide_cursor = False
    window.apply_cursor()
    assert QApplication.overrideCursor() is None
