"""``kiosk liveness site-samples`` and ``kiosk liveness teach-retrain``: the teach screens' work from the shell.

``site-samples`` lists the liveness samples this kiosk was taught (counts per kind), adds a
labelled photo list as samples (``--add site.csv``: frames of attacks and real faces
recorded with this kiosk's camera) or clears them. ``teach-retrain`` retrains the passive
check on the development data plus the samples and keeps it only if it is no worse on the
held-back samples; without the development data (or ``--site-only``) on the samples alone
(``kiosk/flows/teach.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.context import CliContext, emit_json
from kiosk.engine.site_liveness import DEV_DATA_ENV, TeachKind
from kiosk.flows import teach
from kiosk.registry import Registry


def register_teaching(sub: Any) -> None:
    p = sub.add_parser(
        "site-samples",
        help="list, add or clear the liveness samples this kiosk was taught (feature vectors, never images)",
        description="Counts of the site liveness samples per kind (phone, tablet, print, real). --add records the largest "
        "face of each photo of an image,label[,attack] CSV as a sample (spoof rows as their attack column when it is "
        "phone, tablet or print, else --kind); --clear deletes them all.",
    )
    p.add_argument("--add", metavar="CSV", help="image,label[,attack] CSV of frames from this kiosk's camera to teach")
    p.add_argument("--root", metavar="DIR", help="folder the --add image paths are relative to (default: the CSV's folder)")
    p.add_argument("--kind", choices=[k.value for k in TeachKind if not k.live], default=TeachKind.PHONE.value, help="what the spoof rows of --add show when their attack column does not say (default phone)")
    p.add_argument("--clear", action="store_true", help="delete every site sample")
    p.add_argument("--models", metavar="PACK", default=argparse.SUPPRESS, help="model pack folder")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_site_samples)
    p = sub.add_parser(
        "teach-retrain",
        help="retrain the passive check on the development data plus the site samples; keep it only if no worse",
        description="Fit a new liveness fusion on the shared development data (its features cached under <data>/cache) "
        "plus the site samples less a held-back part (per kind its latest recording session, or its last quarter in "
        "time), compare APCER and BPCER on the held-back samples before and after, and keep the new check (a new pack "
        f"folder under <data>/models, made the models setting) only if it is no worse on both. The development data is "
        f"../shared/faces unless {DEV_DATA_ENV} or --dev-labels says otherwise; without it (an installed kiosk) or with "
        "--site-only the kiosk teaches with this camera only. Audited as liveness_taught.",
    )
    p.add_argument("--dev-labels", metavar="CSV", action="append", help="development labels CSV (image,label[,attack,source]); repeatable")
    p.add_argument("--exclude-source", metavar="NAME", action="append", default=[], help="leave this development source out; repeatable")
    p.add_argument(
        "--site-only",
        action="store_true",
        help="teach with this camera's samples alone, as a kiosk without the development data does (a fit pulled toward the "
        "current check, kept only if strictly better on one side of every taught sample)",
    )
    p.add_argument("--models", metavar="PACK", default=argparse.SUPPRESS, help="model pack folder")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_teach_retrain)


def cmd_site_samples(ctx: CliContext) -> int:
    args = ctx.args
    with Registry.open(ctx.settings, ctx.pack) as registry:
        out: dict[str, Any] = {}
        if args.clear:
            out["cleared"] = teach.clear_site_samples(registry)
        if args.add:
            out["added"] = teach.teach_from_labels(registry, ctx.analyzer, Path(args.add), Path(args.root) if args.root else None, TeachKind(args.kind))
        out["samples"] = teach.sample_counts(registry)
    if args.json:
        emit_json(out)
        return 0
    if "cleared" in out:
        print(f"cleared {out['cleared']} sample(s)")
    if "added" in out:
        print(f"added {out['added']['taught']} sample(s), skipped {out['added']['skipped']} (unreadable or no face)")
    print("site samples: " + ", ".join(f"{kind} {n}" for kind, n in out["samples"].items()))
    return 0


def cmd_teach_retrain(ctx: CliContext) -> int:
    args = ctx.args
    with Registry.open(ctx.settings, ctx.pack) as registry:
        outcome = teach.retrain_with_site_samples(
            registry,
            ctx.analyzer,
            ctx.settings,
            dev_labels=[Path(p) for p in args.dev_labels] if args.dev_labels else None,
            exclude_sources=args.exclude_source,
            site_only=args.site_only,
            progress=_progress,
        )
    if args.json:
        emit_json(
            {
                "kept": outcome.kept,
                "mode": outcome.mode.value,
                "before": outcome.before.__dict__,
                "after": outcome.after.__dict__,
                "taught": outcome.taught,
                "held_back": outcome.held,
                "development_rows": outcome.dev_rows,
                "features": list(outcome.features),
                "thresholds": {
                    "liveness": outcome.fusion.liveness,
                    "liveness_low": outcome.fusion.liveness_low,
                    "liveness_high": outcome.fusion.liveness_high,
                },
                "pack": str(outcome.pack_folder) if outcome.pack_folder else None,
            }
        )
        return 0
    print(f"taught:    {outcome.mode.value}")
    if outcome.mode is teach.TeachMode.SITE_ONLY:
        print(f"judged on: every taught sample, each scored by a fit without it ({outcome.after.spoof} attacks, {outcome.after.live} real faces)")
    else:
        print(f"held back: {', '.join(f'{k} {n}' for k, n in outcome.held.items() if n)}")
    print(f"before:    {outcome.before.describe()}")
    print(f"after:     {outcome.after.describe()}")
    if outcome.kept:
        print(f"kept: the kiosk now uses {outcome.pack_folder} (models setting saved)")
    else:
        print(f"not kept: {_refusal(outcome.mode)}; nothing changed")
    return 0


def _refusal(mode: teach.TeachMode) -> str:
    if mode is teach.TeachMode.SITE_ONLY:
        return "judged on every taught sample, the new check was not better on one side without being worse on the other"
    return "the new check was worse on the held-back samples on at least one side"


def _progress(done: int, total: int) -> None:
    """The development features' first computation takes minutes: a line every 100 photos on stderr."""
    if done % 100 == 0 or done == total:
        print(f"development features {done}/{total} photos", file=sys.stderr, flush=True)
