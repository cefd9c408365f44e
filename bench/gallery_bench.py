"""Actor gallery: build throughput on real photos and lookup latency up to 100k actors.

Build: ``friends_boostface/Train`` (23 photos, 6 actors) from scratch, then an unchanged
rebuild (hashes checked, nothing embedded). Lookup: ``ActorGallery.query(k=3)`` with real
query embeddings against galleries of 100, 10k and 100k actors; the real 6 templates are
padded with random unit vectors and written through the gallery's own storage, so
``open`` reads the same manifest and matrix files a built gallery has. CPU time is given
beside wall time because the shared machines are often several times oversubscribed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from kiosk.clock import utc_now
from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.pack import resolve_pack
from kiosk.gallery import ActorGallery, DatasetSource, build_gallery, storage

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIOSK_SHARED", REPO.parent / "shared"))
MODELS = Path(os.environ.get("KIOSK_MODELS", SHARED / "models" / "test-pack"))
TRAIN = SHARED / "faces" / "friends_boostface" / "Train"
SIZES = (100, 10_000, 100_000)


def write_synthetic(data_dir: Path, real: ActorGallery, size: int, seed: int = 0) -> None:
    """A gallery of ``size`` actors: the real templates first, then random unit vectors."""
    real_templates = real.templates
    rng = np.random.default_rng(seed)
    extra = rng.standard_normal((size - len(real_templates), real_templates.shape[1])).astype(np.float32)
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    templates = np.vstack([real_templates, extra])
    actors = [{"name": a.name, "photos": a.photos, "thumbnail": ""} for a in real.actors()]
    actors += [{"name": f"synthetic {i:06d}", "photos": 1, "thumbnail": ""} for i in range(len(extra))]
    root = storage.gallery_dir(data_dir)
    build_id = storage.new_build_id()
    manifest = {
        "pack_id": real.pack_id,
        "embedding_size": int(templates.shape[1]),
        "built_at": utc_now(timespec="seconds"),
        "build_id": build_id,
        "source": "synthetic",
        "templates_file": storage.write_matrix(root, f"templates-{build_id}.npy", templates),
        "embeddings_file": storage.write_matrix(root, f"embeddings-{build_id}.npy", templates[:0]),
        "actors": actors,
        "photos": [],
    }
    storage.commit_manifest(root, manifest)


def _ms(seconds: list[float]) -> tuple[str, str]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered) * 1000:.2f}", f"{p95 * 1000:.2f}"


def main(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="bench gallery")
    parser.add_argument("--queries", type=int, default=200, help="lookups per gallery size")
    args, _ = parser.parse_known_args(argv)

    work = Path(tempfile.mkdtemp(prefix="gallery-bench-"))
    settings = load_settings(data_dir=work / "settings", overrides={"models": str(MODELS), "runtime.providers": "CPUExecutionProvider"})
    pack = resolve_pack(settings)
    analyzer = FaceAnalyzer.from_settings(pack, settings)
    source = DatasetSource.from_folder(TRAIN)
    data_dir = work / "real"

    started, cpu = time.perf_counter(), time.process_time()
    first = build_gallery(source, analyzer, data_dir)
    full_s, full_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    again = build_gallery(source, analyzer, data_dir)
    rebuild_s, rebuild_cpu = time.perf_counter() - started, time.process_time() - cpu
    real = ActorGallery.open(data_dir, pack)

    queries = [analyzer.embed_image(p).embedding for p in sorted((SHARED / "faces" / "friends").glob("*.png"))]
    lines = [
        "### Build (friends_boostface/Train, CPU)",
        "",
        "| build | photos | embedded | wall (s) | photos/s | CPU (s) | photos per CPU-s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| from scratch | {first.photos} | {first.embedded} | {full_s:.2f} | {first.photos / full_s:.1f} | {full_cpu:.2f} | {first.photos / full_cpu:.1f} |",
        f"| unchanged rebuild | {again.photos} | {again.embedded} | {rebuild_s:.3f} | {again.photos / rebuild_s:.0f} | {rebuild_cpu:.3f} | {again.photos / max(rebuild_cpu, 1e-6):.0f} |",
        "",
        f"### Lookup, top-3, {args.queries} queries per size (real query embeddings, {pack.embedding_size}-d)",
        "",
        "| actors | open (s) | query median (ms) | query p95 (ms) | own actor first |",
        "|---:|---:|---:|---:|---:|",
    ]
    names = [p.stem for p in sorted((SHARED / "faces" / "friends").glob("*.png"))]
    for size in SIZES:
        synthetic_dir = work / f"synthetic-{size}"
        write_synthetic(synthetic_dir, real, size)
        started = time.perf_counter()
        gallery = ActorGallery.open(synthetic_dir, pack)
        open_s = time.perf_counter() - started
        timings = []
        hits = 0
        for i in range(args.queries):
            started = time.perf_counter()
            matches = gallery.query(queries[i % len(queries)], k=3)
            timings.append(time.perf_counter() - started)
            hits += matches[0].name == names[i % len(names)]
        median, p95 = _ms(timings)
        lines.append(f"| {size:,} | {open_s:.2f} | {median} | {p95} | {hits}/{args.queries} |")
    return "\n".join(lines)
