"""Fine-tune MiniFASNetV2 itself on in-context attacks, leave-one-source-out, on CPU (research, issue 20).

NEEDS PyTorch, which is not a product dependency (never add it to pyproject.toml): run it from a
separate venv outside the repository, with a CPU wheel pinned exactly (a bare ``torch`` fetches GBs):

    python3 -m venv /work/torchvenv
    /work/torchvenv/bin/pip install torch==2.13.0
    /work/torchvenv/bin/pip install numpy onnx onnxruntime opencv-python-headless
    /work/torchvenv/bin/python scripts/finetune_minifasnet.py /tmp/finetune/crops.npz /tmp/finetune/scores.npz

(``onnx2torch`` was the first choice, but it imports torchvision, whose wheel would pull another torch;
the network has six ONNX op types, so ``OnnxNet`` below runs the graph in torch directly from the ONNX
initializers, and ``--check`` shows its logits equal the ONNX model's on the real crops.)

The crops come from ``scripts/finetune_crops.py`` (the repository's venv: the kiosk's own detector and
crop). Each source of the training side (the 8 spoof-context sources and print-nuaa) is held out in turn:
the network is fine-tuned from the pretrained weights on the others, then scores every crop; a last
model trained on all of them scores recapture-crops, which is never trained on. The network keeps its
3-class head (index 1 = live) and is trained on live vs spoof: log p_live - log(p_0 + p_2) under a
binary cross-entropy, so its output is read exactly as the kiosk reads the ONNX model's. Weights stay
in memory (``--save DIR`` exports each fold's network as ONNX under /tmp; never commit them).
Writes ``scores.npz``: per fold the live probability of every crop, and the pretrained network's;
``scripts/finetune_report.py`` (the repository's venv) turns it into the held-out tables.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

JUDGED = ("recapture-crops",)  # never trained on: scored by the model trained on all the rest
LIVE = 1  # Silent-Face's live class


class OnnxNet(nn.Module):
    """MiniFASNet's ONNX graph run by torch, its initializers as trainable parameters.

    The exported graph has Conv (batch norm folded in), PRelu, Add, Flatten, MatMul and one
    BatchNormalization (kept in inference form: its statistics are the pretrained ones).
    """

    OPS = {"Conv", "PRelu", "Add", "Flatten", "MatMul", "BatchNormalization"}

    def __init__(self, path: Path) -> None:
        super().__init__()
        graph = onnx.load(str(path)).graph
        unknown = {n.op_type for n in graph.node} - self.OPS
        if unknown:
            raise SystemExit(f"error: {path}: ONNX ops {sorted(unknown)} not supported by OnnxNet (hint: a MiniFASNet export has {sorted(self.OPS)})")
        self.keys = {init.name: f"p{i}" for i, init in enumerate(graph.initializer)}
        self.params = nn.ParameterDict({self.keys[i.name]: nn.Parameter(torch.from_numpy(numpy_helper.to_array(i).copy())) for i in graph.initializer})
        self.nodes = [(n.op_type, list(n.input), n.output[0], {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}) for n in graph.node]
        # the batch norm's running statistics are not weights: a gradient step could make a variance negative
        self.statistics = {self.keys[n.input[i]] for n in graph.node if n.op_type == "BatchNormalization" for i in (3, 4)}
        self.input_name = graph.input[0].name
        self.output_name = graph.output[0].name
        # stage of each parameter (the ONNX node name's first part: stem, transition1, stage2, ...), for freezing
        self.stage = {
            self.keys[i]: (n.output[0].split("/")[1] if n.output[0].count("/") > 1 else "head") for n in graph.node for i in n.input if i in self.keys
        }

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values: dict[str, torch.Tensor] = {self.input_name: x}

        def get(name: str) -> torch.Tensor:
            return self.params[self.keys[name]] if name in self.keys else values[name]

        for op, inputs, output, attrs in self.nodes:
            args = [get(i) for i in inputs]
            if op == "Conv":
                pads = attrs.get("pads", [0, 0, 0, 0])
                values[output] = nn.functional.conv2d(
                    args[0],
                    args[1],
                    args[2] if len(args) > 2 else None,
                    attrs.get("strides", [1, 1]),
                    pads[:2],
                    attrs.get("dilations", [1, 1]),
                    attrs.get("group", 1),
                )
            elif op == "PRelu":
                values[output] = nn.functional.prelu(args[0], args[1].reshape(-1))  # exports back to one PRelu
            elif op == "Add":
                values[output] = args[0] + args[1]
            elif op == "Flatten":
                values[output] = torch.flatten(args[0], attrs.get("axis", 1))
            elif op == "MatMul":
                values[output] = args[0] @ args[1]
            else:  # BatchNormalization, inference form
                x0, scale, bias, mean, var = args
                values[output] = (x0 - mean) / torch.sqrt(var + attrs.get("epsilon", 1e-5)) * scale + bias
        return values[self.output_name]


def live_margin(logits: torch.Tensor) -> torch.Tensor:
    """log p_live - log p_spoof with the two spoof classes pooled: the binary logit the loss trains."""
    spoof = torch.logsumexp(torch.cat([logits[:, :LIVE], logits[:, LIVE + 1 :]], 1), 1)
    return logits[:, LIVE] - spoof


def p_live(net: OnnxNet, crops: np.ndarray, batch: int = 256) -> np.ndarray:
    """Softmax live probability of each BGR 80x80 crop (raw 0..255, as the kiosk feeds the ONNX model)."""
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(crops), batch):
            x = torch.from_numpy(crops[i : i + batch].astype(np.float32).transpose(0, 3, 1, 2))
            out.append(torch.softmax(net(x), 1)[:, LIVE].numpy())
    return np.concatenate(out)


def moire(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A screen's beat pattern: two near-parallel sinusoidal gratings, a few grey levels deep."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    pattern = np.zeros((h, w), np.float32)
    for _ in range(2):
        angle, period = rng.uniform(0, np.pi), rng.uniform(2.5, 7.0)
        pattern += np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period + rng.uniform(0, 2 * np.pi))
    return img + pattern[..., None] * rng.uniform(2.0, 8.0)


def glare(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A soft bright ellipse (a lamp on a screen, a print's sheen, a pair of glasses)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy, rx, ry = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(6, 25), rng.uniform(6, 25)
    spot = np.exp(-(((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2))
    return img + spot[..., None] * rng.uniform(40, 140)


def augment(crop: np.ndarray, live: bool, rng: np.random.Generator, moire_share: float = 0.25) -> np.ndarray:
    """One training view of a crop: jitter, flip, colour, blur, JPEG, and a synthetic moire (attacks) or glare (both).

    Moire only on attacks (a screen makes it, a face does not); glare on both sides, so it alone cannot decide.
    """
    h, w = crop.shape[:2]
    zoom = rng.uniform(1.0, 1.12)  # zoom in only: a zoom out would need pixels the crop does not have
    cw, ch = int(w / zoom), int(h / zoom)
    x0, y0 = rng.integers(0, w - cw + 1), rng.integers(0, h - ch + 1)
    img = cv2.resize(crop[y0 : y0 + ch, x0 : x0 + cw], (w, h)).astype(np.float32)
    if rng.random() < 0.5:
        img = img[:, ::-1]
    img = img * rng.uniform(0.7, 1.3) + rng.uniform(-25, 25)  # brightness, contrast
    img = img * rng.uniform(0.9, 1.1, 3)  # colour balance
    if not live and rng.random() < moire_share:
        img = moire(img, rng)
    if rng.random() < 0.15:
        img = glare(img, rng)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.25:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.2))
    if rng.random() < 0.3:
        ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(35, 90))])
        img = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return np.ascontiguousarray(img)


def fine_tune(onnx_path: Path, crops: np.ndarray, live: np.ndarray, group: np.ndarray, args: argparse.Namespace, seed: int) -> OnnxNet:
    """The pretrained network fine-tuned on ``crops``; each (source, label) group drawn equally often."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    net = OnnxNet(onnx_path)
    for key, param in net.params.items():
        param.requires_grad = net.stage.get(key, "head") not in args.freeze and key not in net.statistics
    trainable = [p for p in net.params.values() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=1e-4)
    _, inverse, counts = np.unique(group, return_inverse=True, return_counts=True)
    weights = 1.0 / counts[inverse]
    weights /= weights.sum()
    steps = args.epochs * (len(crops) // args.batch)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    net.train()
    for _ in range(steps):
        pick = rng.choice(len(crops), args.batch, p=weights)
        x = np.stack([augment(crops[i], bool(live[i]), rng, args.moire) for i in pick]).astype(np.float32).transpose(0, 3, 1, 2)
        y = torch.from_numpy(live[pick].astype(np.float32))
        loss = nn.functional.binary_cross_entropy_with_logits(live_margin(net(torch.from_numpy(x))), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        scheduler.step()
    return net


def export(net: OnnxNet, path: Path) -> None:
    """The fine-tuned network as ONNX with the pretrained file's input and output: a pack could carry it in place of
    MiniFASNetV2.onnx (same ops, same per-crop cost; docs/capture.md)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    net.eval()
    torch.onnx.export(
        net, (torch.zeros(1, 3, 80, 80),), str(path), input_names=[net.input_name], output_names=[net.output_name], dynamo=False, opset_version=17
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crops", type=Path, help="the .npz of scripts/finetune_crops.py")
    parser.add_argument("out", type=Path, help="scores .npz (per fold, every crop's live probability)")
    parser.add_argument("--model", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared/models/test-pack/MiniFASNetV2.onnx")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--freeze", nargs="*", default=["stem", "stem_dw", "transition1", "stage2"], help="ONNX stages not trained (the low-level filters)")
    parser.add_argument("--fold", action="append", default=[], help="only these held-out sources (and 'all')")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--moire", type=float, default=0.25, help="share of attack views given a synthetic moire (0: none)")
    parser.add_argument("--save", type=Path, help="write each fold's network here as ONNX (under /tmp, never committed)")
    parser.add_argument("--check", action="store_true", help="only compare the torch copy's logits with the ONNX model's")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # two cores shared with other work
    for path, hint in ((args.crops, "make it with scripts/finetune_crops.py"), (args.model, "pass --model PATH/MiniFASNetV2.onnx")):
        if not path.is_file():
            raise SystemExit(f"error: {path} not found (hint: {hint})")
    data = np.load(args.crops)
    crops, live, source = data["crop_v2"], data["live"].astype(bool), data["source"]
    pretrained = OnnxNet(args.model)
    pretrained.eval()
    with torch.no_grad():
        logits = np.concatenate(
            [pretrained(torch.from_numpy(crops[i : i + 256].astype(np.float32).transpose(0, 3, 1, 2))).numpy() for i in range(0, len(crops), 256)]
        )
    diff = float(np.abs(logits - data["logits_v2"]).max())
    print(f"torch copy vs ONNX Runtime on {len(crops)} real crops: max abs logit difference {diff:.2e} (logits up to {np.abs(logits).max():.1f})", flush=True)
    if diff > 1e-3:
        raise SystemExit("error: the torch copy does not reproduce the ONNX model (hint: check OnnxNet against the graph's ops)")
    if args.check:
        return 0
    scores: dict[str, np.ndarray] = {"pretrained": p_live(pretrained, crops)}
    trained_side = ~np.isin(source, JUDGED)
    folds = [s for s in dict.fromkeys(source[trained_side].tolist())] + ["all"]
    folds = [f for f in folds if not args.fold or f in args.fold]
    group = np.char.add(source.astype(str), np.where(live, ":live", ":spoof"))
    seconds: dict[str, float] = {}
    for fold in folds:
        started = time.perf_counter()
        train = trained_side & (source != fold)
        net = fine_tune(args.model, crops[train], live[train], group[train], args, args.seed)
        scores[fold] = p_live(net, crops)
        seconds[fold] = time.perf_counter() - started
        if args.save:
            export(net, args.save / f"MiniFASNetV2-finetuned-{fold}.onnx")
        test = source == (fold if fold != "all" else JUDGED[0])
        s, lv = scores[fold][test], live[test]
        print(f"fold {fold}: {seconds[fold]:.0f} s, {train.sum()} crops; held-out mean p_live live {s[lv].mean():.3f} spoof {s[~lv].mean():.3f}", flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            args.out,
            image=data["image"],
            live=live,
            source=source,
            folds=np.asarray(list(scores)),
            seconds=np.asarray([seconds.get(f, np.nan) for f in scores]),
            settings=np.asarray(f"epochs={args.epochs} batch={args.batch} lr={args.lr} freeze={args.freeze} seed={args.seed} moire={args.moire}"),
            **{f"score_{k}": v for k, v in scores.items()},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
