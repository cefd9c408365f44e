"""The person report (``kiosk/flows/privacy.py``) in plain words, in the kiosk's language.

The same text is shown on the people screen and written by ``kiosk users report --out
FILE.txt`` (through ``report_html.page_language``, as ``kiosk report --html`` does), so
one set of words is translated once. Never a template or a picture: the report has none.
"""

from __future__ import annotations

from kiosk.flows.privacy import PersonReport
from kiosk.ui.i18n import tr


def _time(iso: str | None) -> str:
    """UTC times as "2026-12-07 16:20 UTC": the report is read by people, not parsers."""
    return "—" if not iso else iso[:16].replace("T", " ") + " UTC"


def _not_held(r: PersonReport) -> list[str]:
    lines = [tr("Nothing is held about ID {id}: no name, no face template, no face picture, no punches.").format(id=r.external_id)]
    lines.append(
        tr("When a person is deleted, the audit rows and events that named them are pseudonymised: the decision and time stay, the person is replaced by a pseudonym (deleted-…) that is not linked to the ID.")
    )
    for e in r.events:
        lines.append(tr("A deletion notice ({type}, {time}) still names this ID until it is delivered and the events retention removes it.").format(type=e.type, time=_time(e.time)))
    if r.fleet.deleted_in_fleet:
        lines.append(tr("The fleet keeps a record that this ID was deleted, so other kiosks delete it too."))
    return lines


def _held(r: PersonReport) -> list[str]:
    lines = [
        tr("Name: {name}").format(name=r.name),
        tr("ID: {id}").format(id=r.external_id),
        tr("Enrolled: {time}").format(time=_time(r.enrolled)),
        tr("Last changed: {time}").format(time=_time(r.updated)),
        tr("Status: {status}").format(status=tr("active") if r.status == "active" else tr("disabled")),
    ]
    if r.consent_version:
        lines.append(tr("Consent: agreed to text version {version} on {time}").format(version=r.consent_version, time=_time(r.consent_time)))
    else:
        lines.append(tr("Consent: none recorded"))
    lines.append(tr("Face templates (looks): {count}. A template is a list of numbers made from the face; it is kept encrypted and never shown or exported in this report.").format(count=len(r.looks)))
    for look in r.looks:
        lines.append("  - " + tr("model pack {pack}, made {time}").format(pack=look.pack, time=_time(look.created)))
    if r.face_picture:
        lines.append(tr("Face picture: one small picture (112 px), kept encrypted since {time}, shown to administrators.").format(time=_time(r.face_picture_time)))
    else:
        lines.append(tr("Face picture: none kept"))
    lines.append(tr("Audit rows that name this person: {count}").format(count=len(r.audit)))
    for a in r.audit:
        lines.append(f"  - {_time(a.time)}  {a.event}" + (f"  {a.decision}" if a.decision else "") + ("" if a.score is None else f"  {a.score:.3f}"))
    lines.append(tr("Attendance punches: {count}").format(count=len(r.punches)))
    for p in r.punches:
        lines.append(f"  - {_time(p.time)}  {tr('IN') if p.direction == 'in' else tr('OUT')}")
    lines.append(tr("Stored events that name this person: {count}").format(count=len(r.events)))
    if not r.fleet.joined:
        lines.append(tr("Fleet: this kiosk is not in a fleet"))
    elif r.fleet.record:
        lines.append(tr("Fleet: this kiosk is in fleet {fleet}; the fleet server holds this person's record, and every kiosk of the fleet has a copy.").format(fleet=r.fleet.fleet))
    else:
        lines.append(tr("Fleet: this kiosk is in fleet {fleet}; this person is not yet on the fleet server.").format(fleet=r.fleet.fleet))
    lines.append(tr("When this person is deleted, these audit rows and events are pseudonymised: the decision and time stay, the identity goes. Events already delivered to a receiver cannot be recalled."))
    return lines


def render(report: PersonReport) -> str:
    """The report as plain text in the current language."""
    head = [
        tr("What this kiosk holds about ID {id}").format(id=report.external_id),
        tr("Kiosk {kiosk}, {time}").format(kiosk=report.kiosk, time=_time(report.generated)),
        "",
    ]
    return "\n".join(head + (_held(report) if report.held else _not_held(report))) + "\n"
