"""Leave-one-source-out figures of today's passive check and of the fusion candidates, from cached features.

    uv run --frozen python scripts/pad_loso.py PACK --cache DIR \
        --labels ../shared/faces/spoof-context/labels.csv --labels ../shared/faces/spoof-dev/print-nuaa/labels.csv \
        [--judge ../shared/faces/spoof-dev/recapture-crops/labels.csv] [--captures] [--candidate TEXT ...] \
        [--embeddings [--pca N ...]] [--threads N]

PACK must carry the liveness models the candidates read (the test pack plus
../shared/models/liveness-extra, imported). Every photo is measured once (``pad_features``,
cached in DIR: the first run takes about 0.2 s a photo on an idle 2-core machine, the next
seconds). Each source of --labels (the ``source`` column, else the CSV's folder) is held out in
turn; a candidate with a threshold takes it from the training side (BPCER <= 5%, pooled, as
``kiosk liveness train`` does) and the fusions are selected and fitted there too. --judge sets
are never trained on: each is scored by the candidate trained on all of --labels.
Prints a markdown table: APCER / BPCER per held-out source.

``--captures`` adds a table per candidate and held-out source, per frame and per sign-in capture,
at ``standard`` and ``adaptive`` (``pad_capture.capture_figures``: the session's own rule). A
capture takes ``min_valid_frames`` consecutive frames of one source and label in file-name order
(the login profile's default; frames within a source are bursts of one session, so consecutive
frames are the nearest thing to one capture), one starting at every frame. A candidate without a
trained band (the pair) has ``adaptive`` = ``standard``. ``--candidate`` keeps the candidates whose
name contains the text. For the product's fusion it then compares ``adaptive`` with the enclosing-frame
cue off (as the kiosk runs it, ``config.level_gates``), refusing the frames it finds, and asking any
capture with a found frame to turn (docs/capture.md, "The default level").

``--embeddings`` adds the linear probes on the liveness networks' own embeddings (issue 20; the
classifier's input, ``liveness_embedding``): the ``EMBEDDING_RUNS`` runs' ``:e<k>`` columns, which
``pad_features`` measures with every candidate, then standardised L2 logistics whose C (and PCA size) are chosen
by an inner leave-one-source-out on each training side. ``--pca N`` fixes candidate (d)'s size (32).
``--threads`` caps ONNX Runtime's intra-op threads for the measuring (1 on a shared machine). Figures: docs/capture.md,
"A linear probe on the networks' own embeddings".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.cli.liveness_train import labelled_items  # noqa: E402
from kiosk.config import LoginProfile, load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import ModelPack, load_pack  # noqa: E402
from kiosk.engine.pad_capture import CaptureFigures, Passive, capture_figures, capture_verdicts, passive_verdict  # noqa: E402
from kiosk.engine.pad_eval import TARGET_BPCER, bpcer_threshold  # noqa: E402
from kiosk.engine.pad_features import CandidateRow, measure_rows  # noqa: E402
from kiosk.engine.pad_fusion import Logistic, fit_logistic  # noqa: E402
from kiosk.engine.pad_probe import PCA_SIZES, PROBE_C  # noqa: E402
from kiosk.engine.pad_train import ADAPTIVE_REFUSE, ADAPTIVE_TURN, calibrate, choose_probe, fit, is_embedding  # noqa: E402
from kiosk.engine.scene_cues import RING_BRIGHTNESS  # noqa: E402
from kiosk.engine.sheet_frame import MIN_SIDES, SPAN  # noqa: E402

# The runs whose embeddings the probe candidates read (issue 20, section 1): the default pack's
# three MiniFASNetV2 scales, V1SE at its own scale, CelebA at its own.
EMBEDDING_RUNS = (
    ("MiniFASNetV2.onnx", 2.0),
    ("MiniFASNetV2.onnx", 2.7),
    ("MiniFASNetV2.onnx", 4.0),
    ("MiniFASNetV1SE.onnx", 4.0),
    ("minifas_celeba_128.onnx", 1.5),
)
# The default pack's fusion inputs (``kiosk liveness build-default``'s selection on all the data).
SHIPPED = (
    "MiniFASNetV2.onnx@2:0", "MiniFASNetV2.onnx@2:2", "MiniFASNetV2.onnx@4:0", "MiniFASNetV2.onnx@4:2",
    "minifas_celeba_128.onnx@1.5", "MiniFASNetV2.onnx@2.7:0", "MiniFASNetV2.onnx@2.7:2", RING_BRIGHTNESS,
)  # fmt: skip
PCA_DIMS = (32,)  # components kept of the concatenated embeddings, candidate (d); --pca for others
PCA_CHOICES = PCA_SIZES  # the sizes the inner leave-one-source-out chooses from, candidates (d'), (e) and (f)
COVERS = ("scene:cover_left", "scene:cover_right", "scene:cover_top", "scene:cover_bottom")

# A candidate: name -> (scores of the test rows given (train rows, test rows)), its threshold and its adaptive band.
Scorer = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, float, tuple[float, float]]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--labels", type=Path, action="append", required=True)
    parser.add_argument("--judge", type=Path, action="append", default=[])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--captures", action="store_true", help="also the per-capture table (standard and adaptive)")
    parser.add_argument("--threads", type=int, default=0, help="ONNX Runtime intra-op threads (0: its default)")
    parser.add_argument("--embeddings", action="store_true", help="also the probe candidates on the networks' embeddings (issue 20)")
    parser.add_argument("--pca", type=int, action="append", help=f"principal components of candidate (d) (default {PCA_DIMS[0]}; repeat for several)")
    parser.add_argument("--candidate", action="append", default=[], help="only candidates whose name contains this")
    args = parser.parse_args(argv)
    judged = {p.parent.name for p in args.judge}
    m = measure(args.pack, labelled_items(args.labels + args.judge, None), args.cache, args.threads, every=200)
    pack, names, rows, x, live, source = m.pack, m.names, m.rows, m.x, m.live, m.source
    col = {n: i for i, n in enumerate(names)}

    def p_live(run: str) -> np.ndarray:
        ratios = x[:, [i for n, i in col.items() if n.startswith(run + ":") and not is_embedding(n)]]
        return np.asarray(1.0 / (1.0 + np.exp(-ratios).sum(1)), np.float64)

    pair_runs = [f"{e.file}@{e.crop_scale:g}" for e in pack.liveness if e.crop_scale and e.fill == "shrink"]
    pair = np.mean([p_live(r) for r in pair_runs], 0)
    encloses = (np.nan_to_num(x[:, [col[c] for c in COVERS]]) >= SPAN).sum(1) >= MIN_SIDES

    def fixed(score: np.ndarray) -> Scorer:
        def scored(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
            t = bpcer_threshold(score[train & live])
            return score[test], t, (t, t)

        return scored

    def fusion(keep: Callable[[str], bool], veto: np.ndarray | None = None) -> Scorer:
        chosen_cols = [i for n, i in col.items() if keep(n)]

        def score(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
            model_names = [names[i] for i in chosen_cols]
            chosen, model, t, low, high = fit(model_names, x[train][:, chosen_cols], live[train], source[train], args.runs)
            p = model.probability(x[test][:, [col[n] for n in chosen]])
            return (np.where(veto[test], 0.0, p) if veto is not None else p), t, (low, high)

        return score

    # the class features alone (the fusion before the embeddings joined pad_train.fit), and with them (the product now)
    def runs_only(n: str) -> bool:
        return not n.startswith("scene:") and not is_embedding(n)

    def with_ring(n: str) -> bool:
        return runs_only(n) or n == RING_BRIGHTNESS

    def with_embeddings(n: str) -> bool:
        return with_ring(n) or is_embedding(n)

    candidates: dict[str, Scorer] = {
        "pair (test pack, mean)": fixed(pair),
        "pair + enclosing-frame cue (today's default)": fixed(np.where(encloses, 0.0, pair)),
        f"fusion, {args.runs} runs": fusion(runs_only),
        f"fusion, {args.runs} runs + ring brightness (shipped)": fusion(with_ring),
        f"fusion, {args.runs} runs + ring, no CelebA model": fusion(lambda n: with_ring(n) and "celeba" not in n),
        f"fusion, {args.runs} runs + ring + enclosing-frame cue": fusion(with_ring, encloses),
        f"fusion, {args.runs} runs + ring + their embeddings' PCA (the product's fit, (f))": fusion(with_embeddings),
        f"fusion, {args.runs} runs + ring + their embeddings' PCA + enclosing-frame cue": fusion(with_embeddings, encloses),
    }
    if args.embeddings:
        emb = {f"{f}@{sc:g}": x[:, [i for n, i in col.items() if is_embedding(n) and n.startswith(f"{f}@{sc:g}:")]] for f, sc in EMBEDDING_RUNS}
        candidates.update(probe_candidates(emb, x[:, [col[n] for n in SHIPPED]], live, source, encloses, tuple(args.pca or PCA_DIMS)))
    candidates = {k: v for k, v in candidates.items() if not args.candidate or any(c in k for c in args.candidate)}
    trained_on = ~np.isin(source, list(judged))
    sources = list(dict.fromkeys(source.tolist()))
    # file-name order within each source: time order, what a capture's consecutive frames follow
    time_order = np.asarray([Path(r.image).name for r in rows])
    held: dict[tuple[str, str], tuple[np.ndarray, float, tuple[float, float]]] = {}
    print("| candidate | " + " | ".join(sources) + " | mean (spoof-context) |")
    print("|---|" + "---:|" * (len(sources) + 1))
    for label, scorer in candidates.items():
        cells, context = [], []
        for s in sources:
            test = source == s
            train = trained_on & ~test
            p, t, band = scorer(train, test)
            held[label, s] = p, t, band
            a, b = float(np.mean(p[~live[test]] >= t)), float(np.mean(p[live[test]] < t))
            cells.append(f"{a:.1%} / {b:.1%}")
            if s not in judged and s not in ("print-nuaa", "recapture-crops"):
                context.append((a, b))
        mean = np.mean(context, 0) if context else (np.nan, np.nan)
        print(f"| {label} | " + " | ".join(cells) + f" | {mean[0]:.1%} / {mean[1]:.1%} |", flush=True)
    if args.captures:
        print_captures(held, live, source, time_order, judged)
        product = next((label for label in held_labels(held) if "(the product's fit, (f))" in label), None)
        if product is not None:
            print_cue_at_adaptive(held, product, encloses, live, source, time_order)
    return 0


def held_labels(held: dict[tuple[str, str], tuple[np.ndarray, float, tuple[float, float]]]) -> list[str]:
    return list(dict.fromkeys(label for label, _ in held))


def doubted_verdicts(scores: list[float], found: list[bool], needed: int, band: tuple[float, float], max_frames: int) -> list[Passive]:
    """``pad_capture.capture_verdicts`` with one change: a capture in which the cue found a frame is at best asked to turn."""
    out: list[Passive] = []
    for start in range(len(scores)):
        verdict = Passive.COLLECTING
        for stop in range(start + 1, min(len(scores), start + max_frames) + 1):
            verdict = passive_verdict(scores[start:stop], needed, *band)
            if verdict is Passive.LIVE and any(found[start:stop]):
                verdict = Passive.TURN
            if verdict is not Passive.COLLECTING:
                break
        if verdict is Passive.COLLECTING and stop - start >= max_frames:
            verdict = Passive.SPOOF
        if verdict is not Passive.COLLECTING:
            out.append(verdict)
    return out


def print_cue_at_adaptive(
    held: dict[tuple[str, str], tuple[np.ndarray, float, tuple[float, float]]],
    label: str,
    encloses: np.ndarray,
    live: np.ndarray,
    source: np.ndarray,
    time_order: np.ndarray,
) -> None:
    """``adaptive`` per capture for ``label`` with the enclosing-frame cue off, refusing (score 0), or asking to turn."""
    profile = LoginProfile()
    print(f"\nadaptive per capture and the enclosing-frame cue ({label}): APCER / BPCER / genuine asked to turn\n")
    print("| held-out source | cue off (the kiosk) | cue refusing a frame (score 0) | cue asking to turn (any frame it finds) |")
    print("|---|---:|---:|---:|")
    for (name, s), (p, _, band) in held.items():
        if name != label:
            continue
        order = np.argsort(time_order[source == s], kind="stable")
        p, lv, found = p[order], live[source == s][order], encloses[source == s][order]
        cells = []
        for way in ("off", "refusing", "turn"):
            scores = np.where(found, 0.0, p) if way == "refusing" else p
            rates = []
            for side in (False, True):
                mine = lv == side
                if way == "turn":
                    got = doubted_verdicts(scores[mine].tolist(), found[mine].tolist(), profile.min_valid_frames, band, profile.max_frames)
                else:
                    got = capture_verdicts(scores[mine].tolist(), profile.min_valid_frames, *band, profile.max_frames)
                rates.append([sum(v is k for v in got) / len(got) if got else float("nan") for k in (Passive.LIVE, Passive.SPOOF, Passive.TURN)])
            cells.append(f"{rates[0][0]:.1%} / {rates[1][1]:.1%} / {rates[1][2]:.1%}")
        print(f"| {s} | " + " | ".join(cells) + " |", flush=True)


@dataclass(frozen=True)
class Measurement:
    """Every photo's candidate features (``pad_features``), measured once with a pack's models on CPU, as arrays."""

    pack: ModelPack
    names: tuple[str, ...]
    rows: list[CandidateRow]

    @property
    def x(self) -> np.ndarray:
        return np.asarray([r.values for r in self.rows], np.float64)

    @property
    def live(self) -> np.ndarray:
        return np.asarray([r.live for r in self.rows])

    @property
    def source(self) -> np.ndarray:
        return np.asarray([r.source for r in self.rows])


def measure(pack_root: Path, items: Sequence[tuple[Path, bool, str]], cache: Path, threads: int, every: int) -> Measurement:
    """``items`` measured by the pack at ``pack_root`` (cached in ``cache``), a progress line every ``every`` photos."""
    pack = load_pack(pack_root)
    settings = load_settings(environ={}, overrides={"models": str(pack.root), "runtime.providers": "CPUExecutionProvider", "runtime.intra_op_threads": threads})

    def progress(done: int, total: int, _: str) -> None:
        if done % every == 0:
            print(f"measured {done}/{total}", file=sys.stderr)

    names, rows = measure_rows(FaceAnalyzer.from_settings(pack, settings), items, cache, progress)
    return Measurement(pack, names, rows)


def probe_candidates(
    emb: dict[str, np.ndarray], shipped: np.ndarray, live: np.ndarray, source: np.ndarray, veto: np.ndarray, pca: tuple[int, ...]
) -> dict[str, Scorer]:
    """Linear probes on the networks' embeddings (issue 20): each run alone, all runs, all runs + the shipped inputs, PCA of all."""
    every = np.hstack(list(emb.values()))
    sets: dict[str, tuple[np.ndarray, tuple[int | None, ...], int]] = {f"probe (a) {run} embedding": (e, (None,), 0) for run, e in emb.items()}
    sets[f"probe (b) {len(emb)} embeddings ({every.shape[1]})"] = (every, (None,), 0)
    sets[f"probe (c) {len(emb)} embeddings + the shipped fusion's {shipped.shape[1]} inputs"] = (np.hstack([every, shipped]), (None,), 0)
    # the runs the shipped fusion reads already (no V1SE run): the same per-frame cost as the default pack
    same_cost = np.hstack([e for run, e in emb.items() if any(f.startswith(run + ":") or f == run for f in SHIPPED)])
    for size in pca:
        sets[f"probe (d) PCA {size} of the {len(emb)} embeddings"] = (every, (size,), 0)
    sizes = ", ".join(map(str, PCA_CHOICES))
    sets[f"probe (d') PCA of the {len(emb)} embeddings, size chosen inside ({sizes})"] = (every, PCA_CHOICES, 0)
    sets[f"probe (e) PCA of the shipped fusion's 4 runs' embeddings, size chosen inside ({sizes})"] = (same_cost, PCA_CHOICES, 0)
    sets[f"probe (f) (e) + the shipped fusion's {shipped.shape[1]} inputs, not reduced"] = (np.hstack([same_cost, shipped]), PCA_CHOICES, shipped.shape[1])
    out: dict[str, Scorer] = {}
    for label, (features, sizes_tried, kept) in sets.items():
        scorer = probe(features, live, source, sizes_tried, label, kept)
        out[label] = scorer
        out[label + " + enclosing-frame cue"] = vetoed(scorer, veto)
    return out


def probe(features: np.ndarray, live: np.ndarray, source: np.ndarray, dims: tuple[int | None, ...], label: str, kept: int = 0) -> Scorer:
    """A standardised L2 logistic on ``features``, first reduced to principal components of the training side.

    The PCA size (among ``dims``; None keeps every feature) and C are chosen by an inner
    leave-one-source-out on the training side (``pad_train.choose_probe``, what ``kiosk liveness train``
    runs: the lowest mean APCER over its sources at the pooled BPCER-5% threshold of the inner held-out
    scores), the threshold and the adaptive band from those same inner held-out scores, as
    ``pad_train.fit`` sets them. The PCA is fitted on the whole training
    side, inner held-out sources included (no labels: it never sees the outer held-out source).
    Scores are memoised per held-out set, so the vetoed variant costs nothing.
    """
    memo: dict[bytes, tuple[np.ndarray, float, tuple[float, float]]] = {}
    embedded, kept_cols = range(features.shape[1] - kept), range(features.shape[1] - kept, features.shape[1])

    def score(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
        key = test.tobytes()
        if key not in memo:
            yt, groups = live[train], source[train]
            choice = choose_probe(features[train], embedded, kept_cols, yt, groups, dims, PROBE_C)
            p = choice.held_out
            t = calibrate(p, yt, groups, TARGET_BPCER)
            low, high = min(t, calibrate(p, yt, groups, ADAPTIVE_REFUSE)), max(t, calibrate(p, yt, groups, ADAPTIVE_REFUSE + ADAPTIVE_TURN))
            model: Logistic = fit_logistic(choice.projection(features[train]), yt, choice.c)
            memo[key] = model.probability(choice.projection(features[test])), t, (low, high)
            size = choice.projection.basis.shape[1]
            print(f"  {label} without {'+'.join(np.unique(source[test]))}: {size} components, C = {choice.c:g}", file=sys.stderr, flush=True)
        return memo[key]

    return score


def vetoed(scorer: Scorer, veto: np.ndarray) -> Scorer:
    """``scorer`` with the enclosing-frame cue's veto: a frame it finds scores 0."""

    def score(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
        p, t, band = scorer(train, test)
        return np.where(veto[test], 0.0, p), t, band

    return score


def print_captures(
    held: dict[tuple[str, str], tuple[np.ndarray, float, tuple[float, float]]],
    live: np.ndarray,
    source: np.ndarray,
    time_order: np.ndarray,
    judged: set[str],
) -> None:
    """Per frame and per capture (the login profile's ``min_valid_frames`` and ``max_frames``), at both levels."""
    profile = LoginProfile()
    print(
        f"\nPer frame and per capture ({profile.min_valid_frames} frames, at most {profile.max_frames}); "
        "APCER / BPCER, adaptive also genuine asked to turn and attacks in the band\n"
    )
    print(
        "| candidate | held-out source | band | frames live / spoof | per frame standard | per frame adaptive (APCER / BPCER / turn / attacks in band) "
        "| captures live / spoof | per capture standard | per capture adaptive (APCER / BPCER / turn / attacks in band) |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")

    def level(f: CaptureFigures) -> str:
        return f"{f.apcer:.1%} / {f.bpcer:.1%} / {f.asked_to_turn:.1%} / {f.attacks_in_band:.1%}"

    means: dict[str, list[list[float]]] = {}
    for (label, s), (p, t, band) in held.items():
        order = np.argsort(time_order[source == s], kind="stable")
        p, lv = p[order], live[source == s][order]
        runs = np.zeros(len(p), int)
        frame_std = capture_figures(p, lv, runs, 1, (t, t), 1)
        frame_ad = capture_figures(p, lv, runs, 1, band, 1)
        cap_std = capture_figures(p, lv, runs, profile.min_valid_frames, (t, t), profile.max_frames)
        cap_ad = capture_figures(p, lv, runs, profile.min_valid_frames, band, profile.max_frames)
        print(
            f"| {label} | {s} | {band[0]:.2f} .. {band[1]:.2f} | {frame_std.live} / {frame_std.spoof} | "
            f"{frame_std.apcer:.1%} / {frame_std.bpcer:.1%} | {level(frame_ad)} | {cap_std.live} / {cap_std.spoof} | "
            f"{cap_std.apcer:.1%} / {cap_std.bpcer:.1%} | {level(cap_ad)} |",
            flush=True,
        )
        if s not in judged and s not in ("print-nuaa", "recapture-crops"):
            means.setdefault(label, []).append(
                [frame_std.apcer, frame_std.bpcer, frame_ad.apcer, frame_ad.bpcer, frame_ad.asked_to_turn, frame_ad.attacks_in_band]
                + [cap_std.apcer, cap_std.bpcer, cap_ad.apcer, cap_ad.bpcer, cap_ad.asked_to_turn, cap_ad.attacks_in_band]
            )
    for label, values in means.items():
        m = np.nanmean(values, 0)
        worst_turn = np.nanmax(np.asarray(values)[:, 10])
        print(
            f"| {label} | **mean over the context sources** (worst genuine asked to turn per capture: {worst_turn:.1%}) | | | "
            f"{m[0]:.1%} / {m[1]:.1%} | {m[2]:.1%} / {m[3]:.1%} / {m[4]:.1%} / {m[5]:.1%} | | "
            f"{m[6]:.1%} / {m[7]:.1%} | {m[8]:.1%} / {m[9]:.1%} / {m[10]:.1%} / {m[11]:.1%} |",
            flush=True,
        )


if __name__ == "__main__":
    raise SystemExit(main())
