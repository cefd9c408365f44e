"""``kiosk users ...``, ``kiosk identify`` and ``kiosk verify``: people management from the shell.

People are addressed by their external id (employee number...) on the command line.
The commands parse arguments and print; enrollment and deletion rules are ``kiosk.flows``'.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from kiosk.cli import roster_cmd
from kiosk.cli.context import CliContext, emit_json
from kiosk.cli.secrets_input import read_secret
from kiosk.errors import ImageError, KioskError, NotFoundError
from kiosk.flows import consent as consent_policy
from kiosk.flows import enroll, looks
from kiosk.flows.consent import given_now
from kiosk.flows.faces import decode_crop, encode_png
from kiosk.fsutil import atomic_write
from kiosk.flows.people import delete_person
from kiosk.match.types import Decision
from kiosk.registry import Registry
from kiosk.store.admins import validate_pin


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = subparsers.add_parser("users", help="enrolled people: add, list, delete, export, import")
    sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="enroll a person from one or more photos (files or folders)")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--id", required=True, dest="external_id", help="the person's id (employee number...)")
    add.add_argument("photos", nargs="+", metavar="PHOTO_OR_DIR")
    add.add_argument("--allow-duplicate", action="store_true", help="enroll even if the face matches someone already enrolled")
    add.add_argument("--pin", action="store_true", help="also set the person's own fallback PIN for card + face (asked twice; docs/modes.md)")
    add.add_argument("--pin-env", metavar="VAR", help="with --pin: read the PIN from this environment variable instead of prompting")
    add.add_argument("--consent-version", metavar="V", help="the person agreed to version V of your consent text (recorded with them; required when enroll.consent_required)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=cmd_add)

    roster_cmd.register(sub)

    again = sub.add_parser("reenroll", help="replace a person's templates with ones from new photos (after a model change)")
    again.add_argument("--id", required=True, dest="external_id", help="the person's id")
    again.add_argument("photos", nargs="+", metavar="PHOTO_OR_DIR")
    again.add_argument("--allow-duplicate", action="store_true", help="save even if the face matches someone else already enrolled")
    again.add_argument("--look", metavar="LOOK", help="replace only this look (see `kiosk users looks ID`); without it every look is replaced")
    again.add_argument("--json", action="store_true")
    again.set_defaults(func=cmd_reenroll)

    _register_looks(sub)

    listing = sub.add_parser("list", help="enrolled people (and who needs re-enrollment for the active model pack)")
    listing.add_argument("--search", metavar="TEXT", help="only names or ids containing TEXT")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)

    face = sub.add_parser("face", help="write a person's stored face picture (112 px) to an image FILE")
    face.add_argument("external_id", metavar="ID")
    face.add_argument("--out", required=True, metavar="FILE", help="image file to write (.png or .jpg)")
    face.set_defaults(func=cmd_face)

    pin = sub.add_parser("pin", help="set (or --remove) a person's own fallback PIN for card + face (docs/modes.md)")
    pin.add_argument("external_id", metavar="ID")
    pin.add_argument("--remove", action="store_true", help="remove the PIN instead")
    pin.add_argument("--pin-env", metavar="VAR", help="read the PIN from this environment variable instead of prompting")
    pin.set_defaults(func=cmd_pin)

    unlock = sub.add_parser("unlock", help="clear a person's card + face lockout after failed sign-ins")
    unlock.add_argument("external_id", metavar="ID")
    unlock.set_defaults(func=cmd_unlock)

    report = sub.add_parser("report", help="everything this kiosk holds about a person, in plain words or JSON (never the template)")
    report.add_argument("external_id", metavar="ID")
    report.add_argument("--out", metavar="FILE", help="write it here (.txt, or .json for JSON); else print it")
    report.add_argument("--json", action="store_true", help="JSON whatever the file name")
    report.add_argument("--language", choices=("auto", "en", "ko"), help="the words' language (default: the kiosk's ui.language)")
    report.set_defaults(func=cmd_report)

    delete = sub.add_parser("delete", help="delete a person and their templates (gone, not flagged)")
    delete.add_argument("external_id", metavar="ID")
    delete.set_defaults(func=cmd_delete)

    for name, func, text in (("export", cmd_export, "write every enrollment to an encrypted backup FILE"), ("import", cmd_import, "add the enrollments of a backup FILE (same ids are replaced)")):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", metavar="FILE")
        p.add_argument("--passphrase-env", metavar="VAR", help="read the passphrase from this environment variable instead of prompting")
        p.set_defaults(func=func)

    identify = subparsers.add_parser("identify", help="who is in this photo? (largest face; decision, person, score, runner-up)")
    identify.add_argument("image", metavar="IMAGE")
    identify.add_argument("--top-k", type=int, default=5, metavar="K")
    identify.add_argument("--json", action="store_true")
    identify.add_argument("--punch", action="store_true", help="attendance: an accepted face records its IN or OUT punch, as the kiosk does")
    identify.set_defaults(func=cmd_identify)

    verify = subparsers.add_parser("verify", help="is the person in this photo the one with this id?")
    verify.add_argument("--id", required=True, dest="external_id")
    verify.add_argument("image", metavar="IMAGE")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=cmd_verify)


def open_registry(ctx: CliContext) -> Registry:
    return Registry.open(ctx.settings, ctx.pack)


def _enroll_from_photos(ctx: CliContext, person_id: str | None = None) -> int:
    """``users add`` (a new person) and ``users reenroll`` (``person_id``): the rules are ``kiosk.flows.enroll``'s."""
    args = ctx.args
    photos = enroll.expand_photos(args.photos)
    if not photos:
        raise ImageError("no photos found in " + ", ".join(args.photos))
    pin = _read_person_pin(args.pin_env) if getattr(args, "pin", False) else None  # before any work: a bad PIN loses nothing
    if person_id is None and ctx.settings.enroll.consent_required and args.consent_version is None:
        consent_policy.check(None, True)  # before the models read a single photo
    with open_registry(ctx) as registry:
        existing = None if person_id is None else registry.person(person_id)
        batch = enroll.read_photos(ctx.analyzer, photos)
        template, skips = batch.template(enroll.outlier_cosine(registry)), batch.skips
        for skip in skips:
            print(f"skipped {skip.path}: {skip.why}", file=sys.stderr)
        name, external_id = (args.name, args.external_id) if existing is None else (existing.name, existing.external_id)
        look = getattr(args, "look", None)
        if existing is not None and look:
            enroll.save_look(registry, existing, look, template, allow_duplicate=args.allow_duplicate)
            person = existing
        else:
            consent = None if getattr(args, "consent_version", None) is None else given_now(args.consent_version)
            person = enroll.save(
                registry, name, external_id, template, person=existing, allow_duplicate=args.allow_duplicate, face=batch.best_crop,
                consent=consent, consent_required=existing is None and ctx.settings.enroll.consent_required,
            )  # fmt: skip
        if pin is not None:
            registry.set_person_pin(person.id, pin)
    result = {"person": person.to_dict(), "photos": len(photos), "used": template.frames_used, "skipped": [s.__dict__ for s in skips]}
    if args.json:
        emit_json(result)
    else:
        verb = "enrolled" if existing is None else "re-enrolled"
        print(f"{verb} {person.name} (id {person.external_id}) from {template.frames_used} of {len(photos)} photos")
    return 0


def cmd_add(ctx: CliContext) -> int:
    return _enroll_from_photos(ctx)


def cmd_reenroll(ctx: CliContext) -> int:
    return _enroll_from_photos(ctx, ctx.args.external_id)


def _register_looks(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``add-look``, ``looks``, ``delete-look``, ``revert-looks`` (issue 24: several looks per person)."""
    add = sub.add_parser("add-look", help="add a look (glasses, beard, mask...) to a person from photos; identification takes the best look")
    add.add_argument("external_id", metavar="ID")
    add.add_argument("photos", nargs="+", metavar="PHOTO_OR_DIR")
    add.add_argument("--label", default="", help="what this look is (free text, e.g. 'glasses')")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=cmd_add_look)
    listing = sub.add_parser("looks", help="a person's looks: id, label, kind (enrolled / recent), when")
    listing.add_argument("external_id", metavar="ID")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_looks)
    delete = sub.add_parser("delete-look", help="delete one look (the last one cannot go: delete the person instead)")
    delete.add_argument("external_id", metavar="ID")
    delete.add_argument("look", metavar="LOOK", help="the look's id as `kiosk users looks ID` prints it (its first 8 characters do)")
    delete.set_defaults(func=cmd_delete_look)
    revert = sub.add_parser("revert-looks", help="drop the person's refreshed 'recent' look: back to the enrolled looks")
    revert.add_argument("external_id", metavar="ID")
    revert.set_defaults(func=cmd_revert_looks)


def cmd_add_look(ctx: CliContext) -> int:
    args = ctx.args
    photos = enroll.expand_photos(args.photos)
    if not photos:
        raise ImageError("no photos found in " + ", ".join(args.photos))
    with open_registry(ctx) as registry:
        person = registry.person(args.external_id)
        look, batch = looks.add_look_from_photos(registry, ctx.analyzer, person, photos, label=args.label, max_looks=ctx.settings.enroll.max_looks)
    for skip in batch.skips:
        print(f"skipped {skip.path}: {skip.why}", file=sys.stderr)
    if args.json:
        emit_json({"person": person.to_dict(), **look.to_dict(), "photos": len(photos), "used": look.frames_used})
    else:
        print(f"added look {look.id[:8]} {look.label!r} to {person.name} (id {person.external_id}) from {look.frames_used} of {len(photos)} photos")
    return 0


def cmd_looks(ctx: CliContext) -> int:
    with open_registry(ctx) as registry:
        person = registry.person(ctx.args.external_id)
        found = registry.looks(person.id)
        active = registry.pack_id
    if ctx.args.json:
        emit_json({"person": person.to_dict(), "looks": [look.to_dict() for look in found]})
        return 0
    for look in found:
        stale = "" if look.pack_id == active else f"  (model pack {look.pack_id}: not used)"
        print(f"{look.id[:8]}  {look.kind:<8}  {look.created[:16].replace('T', ' ')}  {look.label or '-'}{stale}")
    return 0


def cmd_delete_look(ctx: CliContext) -> int:
    with open_registry(ctx) as registry:
        person = registry.person(ctx.args.external_id)
        look = registry.delete_look(person.id, ctx.args.look)
    print(f"deleted look {look.id[:8]} {look.label!r} of {person.name} (id {person.external_id})")
    return 0


def cmd_revert_looks(ctx: CliContext) -> int:
    with open_registry(ctx) as registry:
        person = registry.person(ctx.args.external_id)
        gone = registry.revert_looks(person.id)
    print(f"{person.name} (id {person.external_id}): {'recent look dropped' if gone else 'no recent look; nothing to revert'}")
    return 0


def cmd_list(ctx: CliContext) -> int:
    with open_registry(ctx) as registry:
        people = registry.people(ctx.args.search)
    if ctx.args.json:
        emit_json([p.to_dict() for p in people])
        return 0
    for p in people:
        flag = "  needs re-enrollment" if p.needs_reenroll else ""
        print(f"{p.external_id}\t{p.name}\t{p.status}\t{p.templates} template(s)\t{p.updated[:19]}{flag}")
    print(f"{len(people)} people", file=sys.stderr)
    return 0


def cmd_face(ctx: CliContext) -> int:
    out = Path(ctx.args.out)
    if out.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise KioskError(f"--out {out}: use a .png or .jpg file name")
    with open_registry(ctx) as registry:
        person = registry.person(ctx.args.external_id)
        data = registry.face(person.id)
    if data is None:
        raise NotFoundError(
            f"no face picture stored for {person.name} (id {person.external_id})",
            hint="enrolled elsewhere, before face pictures were kept, or enroll.store_face_crops is off; re-enroll to store one",
        )
    atomic_write(out, data if out.suffix.lower() != ".png" else encode_png(decode_crop(data)))
    print(f"wrote the face picture of {person.name} (id {person.external_id}) to {out}")
    return 0


def _read_person_pin(env_var: str | None) -> str:
    pin = read_secret("personal PIN", env_var, confirm=True)
    validate_pin(pin)
    return pin


def cmd_pin(ctx: CliContext) -> int:
    pin = None if ctx.args.remove else _read_person_pin(ctx.args.pin_env)
    with open_registry(ctx) as registry:
        person = registry.person(ctx.args.external_id)
        registry.set_person_pin(person.id, pin)
    print(f"{'removed the' if pin is None else 'set a'} personal PIN of {person.name} (id {person.external_id})")
    return 0


def cmd_unlock(ctx: CliContext) -> int:
    with open_registry(ctx) as registry:
        person = registry.person(ctx.args.external_id)
        cleared = registry.clear_signin_lock(person.id)
    print(f"cleared the failed sign-ins of {person.name} (id {person.external_id})" if cleared else f"{person.name} (id {person.external_id}) had no failed sign-ins")
    return 0


def cmd_report(ctx: CliContext) -> int:
    """The JSON needs no Qt; the plain words come through the kiosk's own catalogues."""
    from kiosk.flows.privacy import person_report

    args = ctx.args
    out = None if args.out is None else Path(args.out).expanduser()
    if out is not None and out.is_dir():
        raise KioskError(f"cannot write the report to {out}: it is a folder", hint="give a file name, e.g. report.txt")
    with open_registry(ctx) as registry:
        report = person_report(registry, args.external_id)
    if args.json or (out is not None and out.suffix.lower() == ".json"):
        text = report.to_json()
    else:
        from kiosk.ui.i18n import resolve_language
        from kiosk.ui.privacy_text import render
        from kiosk.ui.report_html import page_language

        with page_language(resolve_language(args.language or ctx.settings.ui.language)):
            text = render(report)
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        atomic_write(out, text.encode("utf-8"), mode=0o600)
    except OSError as exc:
        raise KioskError(f"cannot write the report to {out} ({exc.strerror or exc})", hint="choose a folder you can write to") from None
    print(f"wrote what this kiosk holds about id {args.external_id} to {out}" + ("" if report.held else " (nobody with that id is held)"))
    return 0


def cmd_delete(ctx: CliContext) -> int:
    with open_registry(ctx) as registry:
        person = delete_person(registry, ctx.args.external_id)
    print(f"deleted {person.name} (id {person.external_id})")
    return 0


def cmd_export(ctx: CliContext) -> int:
    passphrase = read_secret("backup passphrase", ctx.args.passphrase_env, confirm=True)
    with open_registry(ctx) as registry:
        count = registry.export_backup(Path(ctx.args.file), passphrase)
    print(f"exported {count} people to {ctx.args.file}")
    return 0


def cmd_import(ctx: CliContext) -> int:
    passphrase = read_secret("backup passphrase", ctx.args.passphrase_env)
    with open_registry(ctx) as registry:
        count = registry.import_backup(Path(ctx.args.file), passphrase)
        stale = registry.needs_reenrollment()
    print(f"imported {count} people from {ctx.args.file}")
    if stale:
        print(f"{len(stale)} people need re-enrollment for model pack {ctx.pack.id} (kiosk users reenroll --id ID PHOTOS): " + ", ".join(p.external_id for p in stale), file=sys.stderr)
    return 0


def _embed(ctx: CliContext, image: str) -> np.ndarray:
    return ctx.analyzer.embed_image(Path(image), policy="largest").embedded()


def cmd_identify(ctx: CliContext) -> int:
    if ctx.args.top_k < 1:
        raise KioskError("--top-k must be at least 1")
    vector = _embed(ctx, ctx.args.image)
    if ctx.args.punch:
        from kiosk.cli.attendance_cmd import identify_and_punch

        with open_registry(ctx) as registry:
            return identify_and_punch(ctx, registry, vector)
    with open_registry(ctx) as registry:  # a diagnostic: audited as a check, never as a sign-in
        decision = registry.identify(vector, k=ctx.args.top_k, diagnostic=True)
    _print_decision(ctx, decision)
    return 0


def cmd_verify(ctx: CliContext) -> int:
    vector = _embed(ctx, ctx.args.image)
    with open_registry(ctx) as registry:
        decision = registry.verify(registry.person(ctx.args.external_id).id, vector)
    _print_decision(ctx, decision)
    return 0 if decision.accepted else 1


def _print_decision(ctx: CliContext, decision: Decision) -> None:
    if ctx.args.json:
        emit_json(decision.to_dict())
        return
    who = "nobody" if decision.person is None else f"{decision.person.name} (id {decision.person.external_id})"
    runner = "" if decision.runner_up is None else f", runner-up {decision.runner_up:.3f}"
    print(f"decision: {decision.outcome}\nperson: {who}\nscore: {decision.score:.3f}{runner}")
