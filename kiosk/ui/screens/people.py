"""People: search, re-enroll, delete with confirmation; re-enrollment needs are marked.

Each name carries the person's stored face crop (a placeholder when none is stored),
and the selected person's detail shows it larger. Crops are opened only for the rows
in view (and kept until the person changes), so a list of thousands never decrypts
and decodes them all at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import KioskError
from kiosk.flows.people import delete_person
from kiosk.flows.verify import locked_people
from kiosk.flows.privacy import PersonReport, person_report
from kiosk.fsutil import atomic_write
from kiosk.store.people import ENROLLED, RECENT
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.privacy_text import render as render_report
from kiosk.ui.screens.base import Screen, button, label, touch_scroll
from kiosk.ui.screens.model_migrate import ModelMigratePanel
from kiosk.ui.screens.roster_import import RosterImportPanel
from kiosk.ui.widgets.columns import ColumnFitter
from kiosk.ui.widgets.faces import face_pixmap
from kiosk.ui.widgets.keyboard import TouchKeyboard
from kiosk.ui.widgets.person_signin import PersonSignInBox

if TYPE_CHECKING:
    from kiosk.store.people import Look, PersonSummary

NEEDS_COLOR = QColor("#5a3a00")
ROW_FACE_PX = 56  # in a 64 px row
DETAIL_FACE_PX = 112
LOOK_ROW_PX = 44  # three looks in view, each a finger's height


# The share of the page a chosen person's panel may take while the list shows (it scrolls within).
PERSON_SHARE = 0.3
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"


class PeopleScreen(Screen):
    name = ScreenName.PEOPLE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.search = QLineEdit()
        self.search.setMinimumHeight(64)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.keyboard_button = button("showKeyboard", self._toggle_keyboard)
        self.keyboard = TouchKeyboard()
        self.keyboard.set_target(self.search)
        self.keyboard.done.connect(self._toggle_keyboard)
        self.keyboard.hide()
        self.table = QTableWidget(0, 4)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(64)
        self.table.verticalHeader().setMinimumSectionSize(64)
        self.columns = ColumnFitter(self.table)  # long names wrap in a narrow window instead of eliding
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setIconSize(QSize(ROW_FACE_PX, ROW_FACE_PX))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.verticalScrollBar().valueChanged.connect(lambda _v: self._load_visible_faces())
        touch_scroll(self.table)
        self.detail = QWidget()
        self.detail.setObjectName("personDetail")
        self.detail_face = QLabel()
        self.detail_face.setFixedSize(DETAIL_FACE_PX, DETAIL_FACE_PX)
        self.detail_text = label("detail", untranslated=True)
        self.detail_text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # The person's looks (issue 24): one row each, add one, delete one (never the last).
        self.looks_title = label("detail")
        self.looks_list = QListWidget()
        self.looks_list.setObjectName("looksList")
        self.looks_list.setFixedHeight(LOOK_ROW_PX + 8)  # as many rows as looks, up to three (_fill_looks)
        self.looks_list.itemSelectionChanged.connect(self._look_chosen)
        touch_scroll(self.looks_list)
        self.look_label = QLineEdit()
        self.look_label.setMinimumHeight(64)
        self.add_look_button = button("addLook", self.add_look)
        self.delete_look_button = button("deleteLook", self.delete_look)
        self.replace_look_button = button("replaceLook", self.replace_look)
        self.looks_message = label("detail")
        self.looks_panel = QWidget()  # hidden while searching or confirming a delete: the page has no height for both
        looks_box = QVBoxLayout(self.looks_panel)
        looks_box.setContentsMargins(0, 0, 0, 0)
        looks_box.addWidget(self.looks_title)
        looks_box.addWidget(self.looks_list)
        looks_box.addWidget(self.look_label)
        look_row = QHBoxLayout()
        look_row.addWidget(self.add_look_button)
        look_row.addWidget(self.replace_look_button)
        look_row.addWidget(self.delete_look_button)
        looks_box.addLayout(look_row)
        looks_box.addWidget(self.looks_message)
        who_box = QWidget()
        who = QHBoxLayout(who_box)
        who.setContentsMargins(0, 0, 0, 0)
        who.addWidget(self.detail_face)
        who.addWidget(self.detail_text, 1)
        # Who beside their looks on a landscape screen, above them on a portrait one (narrow: 762 px).
        d = self.adaptive_box()
        self.detail.setLayout(d)
        d.setContentsMargins(0, 0, 0, 0)
        d.addWidget(who_box, 1)
        d.addWidget(self.looks_panel, 2)
        self.detail.hide()
        self.signin_box = PersonSignInBox(ctx)  # card + face: lockout and personal PIN
        self.signin_box.hide()
        self.signin_box.cleared.connect(self.changed_elsewhere)  # the status column shows the lockout
        self.signin_box.editing.connect(self._pin_pad_shown)
        self._locked: dict[int, int] = {}  # person id -> seconds locked (card + face)
        self.looks: list[Look] = []
        self._looks_of: int | None = None  # the person whose looks are listed
        self._faces: dict[int, tuple[str, QPixmap]] = {}  # person id -> (updated, row-size face)
        self.count_label = label("detail")
        self.reenroll_button = button("reenroll", self.re_enroll)
        self.delete_button = button("delete", self.ask_delete)
        self.report_button = button("report", self.show_report)
        # What the kiosk holds about the selected person (kiosk/flows/privacy.py), in the page.
        self.report = QWidget()
        self.report.setObjectName("reportPanel")
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        self.report_text.setMinimumHeight(240)
        self.report_save = button("saveReport", self.save_report)
        self.report_close = button("closeReport", self.hide_report, primary=True)
        r = QVBoxLayout(self.report)
        r.setContentsMargins(0, 0, 0, 0)
        r.addWidget(self.report_text, 1)
        report_row = QHBoxLayout()
        report_row.addStretch(1)
        report_row.addWidget(self.report_save)
        report_row.addWidget(self.report_close)
        r.addLayout(report_row)
        self.report.hide()
        self._report: PersonReport | None = None
        self.back_button = button("back", lambda: self.ctx.go(ScreenName.ADMIN_HOME))
        self.roster = RosterImportPanel(ctx, self.refresh)  # issue 24: a CSV of people at once
        self.import_button = button("importRoster", self.roster.choose)
        self.migration = ModelMigratePanel(ctx, self.refresh)  # issue 24: a new pack without re-enrolling
        self.migrate_button = button("migrateModels", self.migration.choose)
        # Confirmation bar in the page itself: a touch kiosk has no modal-dialog habits.
        self.confirm = QWidget()
        self.confirm.setObjectName("confirmBar")
        self.confirm_label = label("warning")
        self.confirm_yes = button("confirmDelete", self.delete_selected)
        self.confirm_no = button("confirmKeep", self._hide_confirm, primary=True)
        c = QHBoxLayout(self.confirm)
        c.addWidget(self.confirm_label, 2)
        c.addWidget(self.confirm_no)
        c.addWidget(self.confirm_yes)
        self.confirm.hide()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.keyboard_button)
        actions = QVBoxLayout()  # the person's actions; below, those for everyone (five in a row do not fit 762 px)
        person_actions = QHBoxLayout()
        self.all_actions = QWidget()  # like the looks: hidden while searching or confirming a delete
        all_actions = QHBoxLayout(self.all_actions)
        all_actions.setContentsMargins(0, 0, 0, 0)
        for b in (self.back_button, self.reenroll_button, self.report_button, self.delete_button):
            person_actions.addWidget(b)
        for b in (self.import_button, self.migrate_button):
            all_actions.addWidget(b)
        actions.addLayout(person_actions)
        actions.addWidget(self.all_actions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        # The keyboard under the list on a portrait screen, beside it on a landscape one: above
        # it, a 1280x800 tablet had no height left for the list (issue 15).
        lists = self.adaptive_box()
        lists.addWidget(self.table, 1)
        lists.addWidget(self.keyboard, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(lists, 1)
        layout.addWidget(self.count_label)
        # The selected person (who, their looks, their card + face sign-in), above what can be done
        # to them, in a scroll area of its own: all of it is taller than a 1280x800 tablet has room for.
        person = QWidget()
        person_box = QVBoxLayout(person)
        person_box.setContentsMargins(0, 0, 0, 0)
        person_box.addWidget(self.detail)
        person_box.addWidget(self.signin_box)
        self.person_area = QScrollArea()
        self.person_area.setObjectName("personArea")
        self.person_area.setWidgetResizable(True)
        self.person_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.person_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.person_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.person_area.setWidget(person)
        touch_scroll(self.person_area)
        self.person_area.hide()  # shown while the person's detail or sign-in box is (eventFilter)
        for w in (self.detail, self.signin_box):
            w.installEventFilter(self)
        layout.addWidget(self.person_area)
        layout.addWidget(self.confirm)
        layout.addWidget(self.roster)
        layout.addWidget(self.report, 2)
        layout.addWidget(self.migration)
        layout.addLayout(actions)
        self.people: list[PersonSummary] = []
        self._message = ""
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The person's scroll area shows only while something in it does: empty, it still took
        a scroll bar's height from the list while searching."""
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent) and watched in (self.detail, self.signin_box):
            self.person_area.setVisible(not (self.detail.isHidden() and self.signin_box.isHidden()))
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        self.title.setText(tr("People"))
        self.search.setPlaceholderText(tr("Find by name or ID"))
        self.keyboard_button.setText(tr("Keyboard"))
        self.table.setHorizontalHeaderLabels([tr("Name"), tr("ID"), tr("Status"), tr("Updated")])
        self.reenroll_button.setText(tr("Re-enroll"))
        self.delete_button.setText(tr("Delete"))
        self.report_button.setText(tr("What is kept"))
        self.report_save.setText(tr("Save to a file…"))
        self.report_close.setText(tr("Close"))
        if self._report is not None:
            self.report_text.setPlainText(render_report(self._report))
        self.back_button.setText(tr("Back"))
        self.import_button.setText(tr("Import roster…"))
        self.migrate_button.setText(tr("Migrate to a model pack…"))
        self.looks_title.setText(tr("Looks (identification takes the best one)"))
        self.look_label.setPlaceholderText(tr("Label of a new look (optional): glasses, beard…"))
        self.add_look_button.setText(tr("Add a look…"))
        self.delete_look_button.setText(tr("Delete look"))
        self.replace_look_button.setText(tr("Replace look…"))
        self._fill_looks()
        self.confirm_yes.setText(tr("Delete for good"))
        self.confirm_no.setText(tr("Keep"))
        person = self.selected()
        if person is not None:
            self.confirm_label.setText(tr("Delete {name} and their face data? This cannot be undone.").format(name=person.name))
        self._fill()

    def enter(self, person_id: int | None = None, set_pin: bool = False, **kwargs: Any) -> None:
        """``person_id``: show that person chosen; ``set_pin``: with their PIN pad open (from enrollment)."""
        self._hide_confirm()
        if person_id is not None:
            self.search.clear()  # the person must be in the list to be chosen
        self.hide_report()
        self.refresh()
        if person_id is not None and self.select_person(person_id) and set_pin:
            self.signin_box.start_pin()

    def leave(self) -> None:
        self.roster.stop()
        self.migration.stop()

    def _toggle_keyboard(self) -> None:
        showing = self.keyboard.isHidden()
        self._show_looks(not showing and self.confirm.isHidden())  # first: the page never asks for both heights at once
        self.keyboard.setVisible(showing)
        self.keyboard.set_target(self.search)

    def _show_looks(self, quiet: bool) -> None:
        """The looks and the actions for everyone, hidden while searching or confirming a delete."""
        self.looks_panel.setVisible(quiet)
        self.all_actions.setVisible(quiet)

    def refresh(self) -> None:
        if self.ctx.registry is None:
            return
        text = self.search.text().strip()
        self._message = ""  # an earlier failure's message goes once the list loads again
        try:
            self.people = list(self.ctx.registry.people(search=text or None))
            self._locked = locked_people(self.ctx.registry, self.ctx.wall_clock())
        except KioskError as exc:
            self.people = []
            self._message = exc.message
        self._fill()

    def changed_elsewhere(self) -> None:
        """People changed at another kiosk: reload, keeping the chosen person chosen by id, not by row.

        The rows may move under the selection; a Delete confirmed afterwards must still delete
        the person it named, and a confirmation for someone deleted elsewhere is withdrawn.
        """
        chosen = self.selected()
        self.refresh()
        if chosen is not None and not self.select_person(chosen.id):
            self.table.clearSelection()
            self._hide_confirm()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.people))
        for row, p in enumerate(self.people):
            status = tr("Needs re-enrollment") if p.needs_reenroll else tr("Enrolled")
            if p.id in self._locked:
                status = tr("Locked for {s} s").format(s=self._locked[p.id])
            for col, value in enumerate((p.name, p.external_id or "", status, _updated(p))):
                item = QTableWidgetItem(str(value))
                if p.needs_reenroll:
                    item.setBackground(QBrush(NEEDS_COLOR))
                self.table.setItem(row, col, item)
        self.count_label.setText(self._message or tr("{n} people").format(n=len(self.people)))
        self._load_visible_faces()
        self._selection_changed()

    def _row_face(self, person: PersonSummary) -> QPixmap:
        """The person's face at row size, opened once per enrollment (``updated`` changes with it)."""
        cached = self._faces.get(person.id)
        if cached is None or cached[0] != person.updated:
            face = self.registry.face(person.id) if person.has_face else None
            cached = (person.updated, face_pixmap(face, DETAIL_FACE_PX))
            self._faces[person.id] = cached
        return cached[1]

    def _load_visible_faces(self) -> None:
        """Faces for the rows on screen (and a row either side)."""
        if not self.people:
            return
        first = max(0, self.table.rowAt(0) - 1)
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = len(self.people) - 1 if last < 0 else min(len(self.people) - 1, last + 1)
        for row in range(first, last + 1):
            item = self.table.item(row, 0)
            if item is not None and item.icon().isNull():
                item.setIcon(QIcon(self._row_face(self.people[row])))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._cap_person_area()
        self._load_visible_faces()

    def _cap_person_area(self) -> None:
        """A chosen person's panel (who, looks, sign-in) scrolls within a share of the page while the
        list shows: at its full height it left the 762x960 window one row of the list. The PIN pad,
        which hides the list, has the whole page."""
        cap = int(self.height() * PERSON_SHARE) if not self.table.isHidden() else QWIDGETSIZE_MAX
        self.person_area.setMaximumHeight(cap)

    def selected(self) -> PersonSummary | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.people):
            return None
        return self.people[rows[0].row()]

    def select_person(self, person_id: int) -> bool:
        for row, p in enumerate(self.people):
            if p.id == person_id:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self) -> None:
        person = self.selected()
        has = person is not None
        self.reenroll_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.signin_box.show_person(None if person is None else person.id, "" if person is None else person.name)
        self.report_button.setEnabled(has)
        if self._report is not None and (person is None or person.external_id != self._report.external_id):
            self.hide_report()
        self.detail.setVisible(has and not self.signin_box.typing_pin)  # the PIN pad needs its room
        self.signin_box.setVisible(has and not self.confirm.isVisibleTo(self))
        if person is None:
            return
        self.detail_face.setPixmap(self._row_face(person))
        lines = [person.name, tr("ID {id}").format(id=person.external_id), tr("Updated {time}").format(time=_updated(person))]
        if not person.has_face:
            lines.append(tr("No face picture stored"))
        self.detail_text.setText("\n".join(lines))
        if self._looks_of != person.id:
            self.looks_message.setText("")
        self._load_looks(person)

    def _load_looks(self, person: PersonSummary) -> None:
        try:
            self.looks = self.registry.looks(person.id)
        except KioskError as exc:
            self.looks = []
            self.looks_message.setText(exc.message)
        self._looks_of = person.id
        self._fill_looks()

    def _fill_looks(self) -> None:
        """The list again (a language switch re-words it), the chosen look kept chosen."""
        chosen = self.chosen_look()
        self.looks_list.clear()
        active = self.ctx.registry.pack_id if self.ctx.registry is not None else None
        number = 0
        for look in self.looks:
            if look.kind == RECENT:
                name = tr("Recent look (from a sign-in)")
            else:
                number += 1
                name = look.label or tr("Look {n}").format(n=number)
            when = look.created[:10]
            text = f"{name} · {when}" + ("" if look.pack_id == active else " · " + tr("other model pack"))
            item = QListWidgetItem(text)
            item.setSizeHint(QSize(0, LOOK_ROW_PX))
            self.looks_list.addItem(item)
            if chosen is not None and look.id == chosen.id:
                self.looks_list.setCurrentItem(item)
        # Its own height: one look took three rows' room from a page that has none to spare.
        self.looks_list.setFixedHeight(min(max(len(self.looks), 1), 3) * LOOK_ROW_PX + 8)
        self._look_chosen()

    def chosen_look(self) -> Look | None:
        row = self.looks_list.currentRow()
        return self.looks[row] if 0 <= row < len(self.looks) and self.looks_list.currentItem() is not None and self.looks_list.currentItem().isSelected() else None

    def _look_chosen(self) -> None:
        look = self.chosen_look()
        active = self.ctx.registry.pack_id if self.ctx.registry is not None else None
        enrolled = [x for x in self.looks if x.kind == ENROLLED]
        current = sum(x.pack_id == active for x in enrolled)
        # The last enrolled look (of the active pack) cannot go: the person would be unrecognizable.
        last = look is not None and look.kind == ENROLLED and (len(enrolled) <= 1 or (look.pack_id == active and current <= 1))
        self.delete_look_button.setEnabled(look is not None and not last)
        self.add_look_button.setEnabled(bool(self.looks))
        self.replace_look_button.setEnabled(look is not None and look.kind == ENROLLED)

    def add_look(self) -> None:
        person = self.selected()
        if person is not None:
            self.ctx.go(ScreenName.ENROLL, person=person, add_look=True, look_label=self.look_label.text().strip())
            self.look_label.clear()

    def replace_look(self) -> None:
        """Re-enroll the chosen look only ("Re-enroll" below still replaces every look)."""
        person, look = self.selected(), self.chosen_look()
        if person is not None and look is not None:
            self.ctx.go(ScreenName.ENROLL, person=person, replace_look=look.id)

    def delete_look(self) -> None:
        person, look = self.selected(), self.chosen_look()
        if person is None or look is None:
            return
        try:
            self.registry.delete_look(person.id, look.id)
        except KioskError as exc:
            self.looks_message.setText(exc.message)
        else:
            self.looks_message.setText(tr("Look deleted."))
        self._load_looks(person)

    def re_enroll(self) -> None:
        person = self.selected()
        if person is not None:
            self.ctx.go(ScreenName.ENROLL, person=person)

    def show_report(self) -> None:
        """Everything the kiosk holds about the selected person, in plain words (never the template)."""
        person = self.selected()
        if person is None:
            return
        try:
            self._report = person_report(self.registry, person.external_id)
        except KioskError as exc:
            self._message = exc.message
            return
        self.report_text.setPlainText(render_report(self._report))
        self.keyboard.hide()
        self._hide_confirm()
        self.report.show()

    def hide_report(self) -> None:
        self._report = None
        self.report.hide()

    def save_report(self) -> None:
        """The shown report to a file: JSON for a .json name, else the plain words."""
        report = self._report
        if report is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the report"), f"person-{report.external_id}.txt", "Text (*.txt);;JSON (*.json)")
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> None:
        if self._report is None:
            return
        text = self._report.to_json() if path.suffix.lower() == ".json" else self.report_text.toPlainText()
        try:
            atomic_write(path, text.encode("utf-8"))
        except OSError as exc:
            self.report_text.appendPlainText("\n" + tr("Not saved: {why}").format(why=exc.strerror or exc))

    def ask_delete(self) -> None:
        person = self.selected()
        if person is None:
            return
        self.confirm_label.setText(tr("Delete {name} and their face data? This cannot be undone.").format(name=person.name))
        self.hide_report()
        self._show_looks(False)
        self.keyboard.hide()  # searching is over; the bar needs its height
        self.signin_box.hide()  # and so does it: a 1280x800 tablet has no room for both
        self.confirm.show()

    def _hide_confirm(self) -> None:
        self.confirm.hide()
        self.signin_box.setVisible(self.selected() is not None)
        self._show_looks(self.keyboard.isHidden())

    def _pin_pad_shown(self, shown: bool) -> None:
        """The personal PIN pad takes the place of everything else while it shows (a 1280x800
        tablet has no room for the pad and the list); the words beside it name the person,
        and its Cancel button ends it."""
        self.keyboard.hide()
        for w in (self.title, self.table, self.search, self.keyboard_button, self.count_label, self.detail, self.back_button, self.reenroll_button, self.report_button, self.delete_button, self.all_actions):
            w.setVisible(not shown)
        self._cap_person_area()

    def delete_selected(self) -> None:
        person = self.selected()
        self._hide_confirm()
        if person is None:
            return
        try:
            delete_person(self.registry, person.external_id)
        except KioskError as exc:
            self._message = exc.message
        self.refresh()


def _updated(person: PersonSummary) -> str:
    return str(person.updated)[:16].replace("T", " ") if person.updated else ""
