"""``kiosk gallery``: build, inspect and query the actor look-alike gallery."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from kiosk.cli.context import CliContext, emit_json
from kiosk.engine.images import load_image
from kiosk.flows.reasons import words
from kiosk.errors import ConfigError, FaceNotFoundError, ImageError
from kiosk.gallery import ActorGallery, BuildPolicy, BuildProgress, BuildSummary, DatasetSource, build_gallery, lookalikes
from kiosk.gallery.dataset import normalize_name


def register(subparsers) -> None:
    parser = subparsers.add_parser("gallery", help="actor look-alike gallery: build, list, remove, info, query")
    sub = parser.add_subparsers(dest="gallery_command", metavar="ACTION", required=True)

    build = sub.add_parser("build", help="build or update the gallery from actor photos (only new or changed photos are embedded)")
    source = build.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset-dir", metavar="DIR", help="one sub-folder per actor, named after the actor, holding their photos")
    source.add_argument("--csv", metavar="FILE", help="CSV with columns name,image_path (paths may be relative to the CSV)")
    defaults = BuildPolicy()
    build.add_argument("--min-face", type=int, default=defaults.min_face_px, metavar="PX", help=f"smallest usable face in pixels (default {defaults.min_face_px})")
    build.add_argument(
        "--dominance",
        type=float,
        default=defaults.dominance,
        metavar="X",
        help=f"with several faces, use the largest if its area is X times the next one's (default {defaults.dominance:g})",
    )
    build.add_argument("--json", action="store_true", help="print the summary as JSON")
    build.set_defaults(func=cmd_build)

    listing = sub.add_parser("list", help="actors in the gallery")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)

    remove = sub.add_parser("remove", help="remove an actor (it returns on the next build if still in the dataset)")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_remove)

    info = sub.add_parser("info", help="actors, photos, model pack, build time, size, lookups")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=cmd_info)

    query = sub.add_parser("query", help="the closest actors for every face in one or more photos")
    query.add_argument("images", nargs="+", metavar="IMAGE")
    query.add_argument("--top-k", type=int, default=3, metavar="K", help="actors per face (default 3)")
    query.add_argument("--json", action="store_true")
    query.set_defaults(func=cmd_query)

    typical = sub.add_parser("typical", help="the most typical face: actors ranked by closeness to the gallery's mean face")
    typical.add_argument("--top", type=int, default=10, metavar="N", help="actors to list (default 10)")
    typical.add_argument("--photo", metavar="IMAGE", help="also place the largest face of this photo among the actors (nothing is kept)")
    typical.add_argument("--json", action="store_true")
    typical.set_defaults(func=cmd_typical)


def cmd_build(ctx: CliContext) -> int:
    args = ctx.args
    source = DatasetSource.from_folder(args.dataset_dir) if args.dataset_dir else DatasetSource.from_csv(args.csv)
    if args.min_face < 1 or args.dominance < 1:
        raise ConfigError("--min-face must be >= 1 and --dominance >= 1")
    policy = BuildPolicy(min_face_px=args.min_face, dominance=args.dominance)
    analyzer = ctx.analyzer
    bar = ProgressBar(sys.stderr)
    summary = build_gallery(source, analyzer, ctx.settings.data_dir, bar, policy=policy)
    bar.finish()
    if args.json:
        emit_json(summary.to_dict())
    else:
        print(format_summary(summary))
    if not summary.written:
        raise FaceNotFoundError("no actor has a usable photo; the gallery was not changed")
    return 0


def format_summary(summary: BuildSummary) -> str:
    lines = [
        f"gallery: {summary.actors} actors from {summary.used} of {summary.photos} photos "
        f"({summary.embedded} analysed now, the rest unchanged) in {summary.elapsed_s:.1f} s"
    ]
    if summary.skipped:
        lines.append(f"skipped {len(summary.skipped)} photos:")
        lines.extend(f"  {s.photo}  [{s.actor}]  {words(s.reason).said}" + (f": {s.detail}" if s.detail else "") for s in summary.skipped)
    if summary.actors_without_photos:
        lines.append(f"actors with no usable photo (not in the gallery): {', '.join(summary.actors_without_photos)}")
    if summary.removed_actors:
        lines.append(f"actors no longer in the gallery: {', '.join(summary.removed_actors)}")
    if summary.ignored_files:
        lines.append(f"ignored {summary.ignored_files} files that are not images")
    return "\n".join(lines)


class ProgressBar:
    """Build progress on stderr: redrawn in place on a terminal, a line every ``every`` photos otherwise."""

    def __init__(self, stream: TextIO, width: int = 24, every: int = 25) -> None:
        self.stream = stream
        self.width = width
        self.every = every
        self.tty = stream.isatty()
        self._open_line = False

    def __call__(self, p: BuildProgress) -> None:
        last = p.done == p.total
        if not self.tty and not (last or p.done % self.every == 0):
            return
        filled = self.width * p.done // max(p.total, 1)
        left = "" if p.eta_s is None else f"  {_clock(p.eta_s)} left"
        line = f"{p.phase:<9} [{'#' * filled}{'.' * (self.width - filled)}] {p.done}/{p.total} photos{left}"
        if self.tty:
            self.stream.write(f"\r{line}  {p.current[-40:]}\x1b[K")
            self._open_line = True
            if last:
                self.finish()
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def cmd_list(ctx: CliContext) -> int:
    gallery = ActorGallery.open(ctx.settings.data_dir, ctx.pack)
    actors = gallery.actors()
    if ctx.args.json:
        emit_json([{"name": a.name, "photos": a.photos, "thumbnail": str(a.thumbnail) if a.thumbnail else None} for a in actors])
    else:
        for a in actors:
            print(f"{a.name}\t{a.photos} photos")
    return 0


def cmd_remove(ctx: CliContext) -> int:
    gallery = ActorGallery.open(ctx.settings.data_dir, ctx.pack)
    name = normalize_name(ctx.args.name)
    gallery.remove(name)
    print(f"removed {name}; {len(gallery)} actors left (it returns on the next build if its photos are still in the dataset)")
    return 0


def cmd_info(ctx: CliContext) -> int:
    info = ActorGallery.open(ctx.settings.data_dir, ctx.pack).info()
    if ctx.args.json:
        emit_json(info.to_dict())
        return 0
    pack_note = "" if info.pack_matches else f"  (the active pack is {ctx.pack.id}: rebuild before querying)"
    print(f"gallery:   {info.path}")
    print(f"actors:    {info.actors} ({info.photos} photos used, {info.skipped} skipped)")
    print(f"pack:      {info.pack_id}{pack_note}")
    print(f"built:     {info.built_at} from {info.source}")
    print(f"size:      {info.size_bytes / 1024:.0f} KiB")
    print(f"lookups:   {info.lookups}")
    return 0


def cmd_query(ctx: CliContext) -> int:
    args = ctx.args
    if args.top_k < 1:
        raise ConfigError("--top-k must be at least 1")
    gallery = ActorGallery.open(ctx.settings.data_dir, ctx.pack)
    gallery.check_pack()
    analyzer = ctx.analyzer
    results = [query_image(gallery, analyzer, Path(image), args.top_k) for image in args.images]
    if args.json:
        emit_json({"pack": gallery.pack_id, "images": results})
    else:
        for result in results:
            print(format_result(result))
    failed = [r for r in results if r["error"]]
    return failed[0]["exit_code"] if failed else 0


def query_image(gallery: ActorGallery, analyzer, path: Path, k: int) -> dict:
    """Every face of one photo with its top-k actors; a bad photo is an entry, not an abort."""
    try:
        found = lookalikes(gallery, analyzer, load_image(path), k)
        if not found:
            raise FaceNotFoundError("no face found")
    except (ImageError, FaceNotFoundError) as exc:
        return {"image": str(path), "faces": [], "error": exc.message.removeprefix(f"{path}: "), "exit_code": exc.exit_code}
    return {
        "image": str(path),
        "faces": [
            {
                "box": [round(float(v), 1) for v in item.face.box],
                "size": round(item.face.size, 1),
                "matches": [
                    {"name": m.name, "score": round(m.score, 4), "percent": m.percent, "thumbnail": str(m.thumbnail) if m.thumbnail else None}
                    for m in item.matches
                ],
            }
            for item in found
        ],
        "error": None,
        "exit_code": 0,
    }


def format_result(result: dict) -> str:
    if result["error"]:
        return f"{result['image']}: {result['error']}"
    faces = result["faces"]
    lines = [f"{result['image']}: {len(faces)} face{'s' if len(faces) != 1 else ''}"]
    for number, face in enumerate(faces, start=1):
        x1, y1, x2, y2 = face["box"]
        found = ", ".join(f"{m['name']} {m['percent']}% ({m['score']:.2f})" for m in face["matches"])
        lines.append(f"  face {number} at ({x1:.0f},{y1:.0f})-({x2:.0f},{y2:.0f}): {found}")
    return "\n".join(lines)


def cmd_typical(ctx: CliContext) -> int:
    from kiosk.gallery.typical import typicality

    args = ctx.args
    if args.top < 1:
        raise ConfigError("--top must be at least 1")
    found = typicality(ActorGallery.open(ctx.settings.data_dir, ctx.pack))
    visitor = None
    if args.photo:
        closeness = found.closeness(ctx.analyzer.embed_image(Path(args.photo), policy="largest").embedding)
        visitor = {"image": args.photo, "closeness": round(closeness, 4), "percentile": found.percentile(closeness)}
    top = found.ranking[: args.top]
    if args.json:
        actors = [{"rank": a.rank, "name": a.name, "closeness": round(a.closeness, 4)} for a in top]
        emit_json({"actors": len(found.ranking), "resultant": round(found.resultant, 4), "ranking": actors, "visitor": visitor})
        return 0
    print(f"the most typical face of {len(found.ranking)} actors (cosine to the mean of the others; mean length {found.resultant:.3f}):")
    for a in top:
        print(f"{a.rank:4d}. {a.name}  {a.closeness:.3f}")
    if visitor:
        print(f"{visitor['image']}: closeness {visitor['closeness']:.3f}, more typical than {visitor['percentile']}% of the actors")
    return 0
