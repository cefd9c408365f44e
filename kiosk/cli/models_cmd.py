"""``kiosk models import|verify|list|calibrate``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.context import CliContext, emit_json
from kiosk.config import effective_security
from kiosk.engine.pack import bundled_manifests, load_pack, pack_folder, write_manifest, MANIFEST
from kiosk.errors import KioskError, ModelPackError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = subparsers.add_parser("models", help="install, verify, list and calibrate model packs")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    p = sub.add_parser("import", help="import a folder or zip of ONNX files (InsightFace buffalo_* included) as a pack")
    p.add_argument("src", type=Path)
    p.add_argument("--name", help="pack name (default: the folder or zip name)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("verify", help="check every file of a pack against its manifest")
    p.add_argument("pack", help="pack folder, or the name of a pack in the data folder")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("list", help="packs in the data folder and the bundle, and the active one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "calibrate",
        help="measure thresholds on labelled pairs and/or liveness photos and write them into the manifest",
        description="--pairs sets the face thresholds (high, low); --liveness sets the passive-liveness threshold "
        "to the highest one that refuses at most 5% of the live photos. Give either or both.",
    )
    p.add_argument("pack", help="pack folder, or the name of a pack in the data folder")
    p.add_argument("--pairs", type=Path, help="CSV with columns img_a,img_b,same")
    p.add_argument("--liveness", type=Path, metavar="LABELS_CSV", help="CSV with columns image,label[,attack] (label live or spoof)")
    p.add_argument(
        "--verify-far",
        type=float,
        metavar="FAR",
        help="with --pairs: also set the 1:1 (card + face) threshold at this false-accept rate, e.g. 0.01",
    )
    p.add_argument("--root", required=True, type=Path, help="folder the image names are relative to")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser(
        "migrate",
        help="re-embed everyone from their stored face pictures with another pack's recognizer (no re-enrolling); "
        "the old templates stay, the new ones count once that pack is active",
        description="Resumable: run it again after a stop and it carries on with the people still without a template of PACK. "
        "Exit status 0 when everyone was migrated, 1 when some need re-enrolling (listed with the reason).",
    )
    p.add_argument("pack", help="pack folder, or the name of a pack in the data folder")
    p.add_argument("--batch", type=int, default=200, help="people per transaction (default 200)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_migrate)


def cmd_migrate(ctx: CliContext) -> int:
    from kiosk.engine.embedder import FaceEmbedder
    from kiosk.flows.migrate import migrate
    from kiosk.flows.reasons import words
    from kiosk.match.bands import effective_thresholds
    from kiosk.registry import Registry

    if ctx.args.batch < 1:
        raise KioskError(f"--batch {ctx.args.batch}: must be at least 1")
    new_pack = load_pack(_pack_folder(ctx, ctx.args.pack), verify=True)
    runtime = ctx.settings.runtime
    embedder = FaceEmbedder(new_pack, list(runtime.providers), runtime.intra_op_threads)
    duplicate = effective_thresholds(new_pack.thresholds, ctx.settings.match).duplicate
    with Registry.open(ctx.settings, ctx.pack) as registry:
        report = migrate(
            registry, embedder, new_pack, duplicate=duplicate, min_sharpness=ctx.settings.login.min_sharpness, batch=ctx.args.batch,
            progress=None if ctx.args.json else lambda done, total: print(f"{done}/{total}", flush=True),
        )
    if ctx.args.json:
        emit_json(report.to_dict())
    else:
        print(f"pack {new_pack.id}: {report.migrated} migrated now, {report.already} already migrated, {len(report.unmigrated)} not migrated")
        for u in report.unmigrated:
            print(f"  not migrated {u.person.external_id} ({u.person.name}): {words(u.reason).said}; re-enroll from photos")
        for c in report.conflicts:
            print(f"  look-alike with {new_pack.id}: {c.a.external_id} and {c.b.external_id} (similarity {c.score:.2f})")
        print(f"activate it with `--models {new_pack.root}` (or `models` in config.toml) once you are satisfied")
    return 1 if report.unmigrated else 0


def _pack_folder(ctx: CliContext, spec: str) -> Path:
    path = pack_folder(spec, ctx.settings.data_dir)
    if path.is_dir():
        return path
    raise ModelPackError(f"{spec}: no such pack folder (nor {ctx.settings.data_dir / 'models' / spec})")


def cmd_import(ctx: CliContext) -> int:
    from kiosk.engine.pack_import import import_pack

    pack = import_pack(ctx.args.src, ctx.settings.data_dir / "models", ctx.args.name)
    print(f"imported pack {pack.name!r} ({pack.id}) into {pack.root}")
    for f in pack.files:
        note = "" if f.role in ("detector", "recognizer", "liveness", "liveness_fusion") else " (recognised, not used)"
        print(f"  {f.role:<12} {f.file}{note}")
    print(f"  embedding size {pack.embedding_size}")
    if not pack.calibrated:
        print("  thresholds are defaults: run `kiosk models calibrate` on labelled pairs before production use")
    return 0


def cmd_verify(ctx: CliContext) -> int:
    pack = load_pack(_pack_folder(ctx, ctx.args.pack), verify=True)
    print(f"ok: pack {pack.name!r} ({pack.id}), {len(pack.files)} files verified")
    return 0


def cmd_list(ctx: CliContext) -> int:
    rows = []
    models_root = ctx.settings.data_dir / "models"
    folders = sorted(p for p in models_root.iterdir() if p.is_dir() and not p.name.startswith(".")) if models_root.is_dir() else []
    for folder in folders:
        rows.append(_status_row("data folder", folder))
    bundle_root = bundled_manifests()
    for manifest in bundle_root:
        rows.append({"where": "bundled manifest", "name": manifest.parent.name, "path": str(manifest), "status": "manifest only"})
    try:
        active = ctx.pack
        active_row = {"name": active.name, "id": active.id, "path": str(active.root)}
    except ModelPackError as exc:
        active_row = {"error": str(exc)}
    if ctx.args.json:
        emit_json({"packs": rows, "active": active_row})
        return 0
    for row in rows:
        print(f"{row['where']:<17} {row['name']:<20} {row['status']:<14} {row['path']}")
    print(f"active: {active_row.get('id', active_row.get('error'))}")
    return 0


def _status_row(where: str, folder: Path) -> dict[str, Any]:
    try:
        pack = load_pack(folder, verify=True)
        status = "verified"
        name = pack.name
    except ModelPackError as exc:
        status, name = f"broken: {exc}", folder.name
    return {"where": where, "name": name, "path": str(folder), "status": status}


def cmd_calibrate(ctx: CliContext) -> int:
    from dataclasses import replace

    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.calibration import verify_band
    from kiosk.engine.pad_eval import evaluate_pad, read_labels, score_images
    from kiosk.engine.pairs import calibrate

    args = ctx.args
    if args.pairs is None and args.liveness is None:
        raise KioskError("nothing to calibrate", hint="give --pairs PAIRS_CSV (face thresholds) and/or --liveness LABELS_CSV")
    if args.verify_far is not None and args.pairs is None:
        raise KioskError("--verify-far needs --pairs", hint="the 1:1 threshold is measured on the same labelled pairs as the 1:N one")
    folder = _pack_folder(ctx, args.pack)
    pack = load_pack(folder, verify=True)
    analyzer = FaceAnalyzer.from_settings(pack, ctx.settings)
    thresholds, out = pack.thresholds, {}
    if args.pairs is not None:
        report = calibrate(pack, analyzer, args.pairs, args.root)
        # keeps the pack's liveness threshold, and its 1:1 one unless it is measured again here
        thresholds = replace(report.thresholds, verify=pack.thresholds.verify)
        out.update(report.to_dict())
        if args.verify_far is not None:
            band = verify_band(report.scored.genuine, report.scored.impostor, args.verify_far, thresholds.high)
            thresholds = replace(thresholds, verify=band.threshold)
            out["verify"] = band.to_dict()
    if args.liveness is not None:
        scores = score_images(read_labels(args.liveness), args.root, analyzer.liveness_image)
        evaluation = evaluate_pad(scores, pack.thresholds.liveness, security=effective_security(ctx.settings.login.security, pack.thresholds.band_measured), pack_id=pack.id)
        new = evaluation.recommended.threshold
        band_low, band_high = thresholds.liveness_low, thresholds.liveness_high
        thresholds = replace(  # the adaptive band, if any, still brackets the new threshold
            thresholds,
            liveness=new,
            liveness_low=None if band_low is None else min(band_low, new),
            liveness_high=None if band_high is None else max(band_high, new),
        )
        out["liveness"] = evaluation.to_dict()
    target = pack.manifest_path if pack.manifest_path and _writable(pack.manifest_path) else folder / MANIFEST
    # Only the face pairs calibrate the face thresholds: a liveness-only run leaves the flag as it was.
    calibrated = pack.with_thresholds(thresholds) if args.pairs is not None else replace(pack, thresholds=thresholds)
    write_manifest(calibrated, target)
    if args.json:
        emit_json({**out, "manifest": str(target)})
    else:
        t = thresholds
        print(f"thresholds written to {target}: high={t.high:.2f} low={t.low:.2f} liveness={t.liveness:.2f}")
        if "verify" in out:
            v = out["verify"]
            print(
                f"  1:1 verify {v['threshold']:.2f} at FAR {v['target_far']:g}: accepts {v['tar']:.1%} of same-person pairs, "
                f"{v['far']:.2%} of different-person pairs; the 1:N high {v['identify_high']:.2f} accepts {v['identify_tar']:.1%}"
            )
        if "liveness" in out:
            at = out["liveness"]["at_recommended"]
            print(f"  liveness {t.liveness:.2f}: APCER {at['apcer']['all']:.2%}, BPCER {at['bpcer']:.2%} on {args.liveness}")
    return 0


def _writable(path: Path) -> bool:
    import os

    return path.exists() and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
