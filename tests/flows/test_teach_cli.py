"""``kiosk liveness site-samples`` and ``kiosk liveness teach-retrain`` on real frames, end to end."""

from __future__ import annotations

import csv
import json

from kiosk.config import load_settings
from kiosk.engine.pack import load_pack
from tests.flows.test_teach import source_frames
from tests.store.test_cli import run


def write_labels(path, rows) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["image", "label", "attack", "source"])
        writer.writerows(rows)


def test_site_csv_taught_retrained_kept_then_cleared(capsys, faces_dir, tmp_path, data_dir):
    site = source_frames(faces_dir, "yashpatil")
    write_labels(tmp_path / "site.csv", [(str(p), "live", "", "") for p in site["live"][:10]] + [(str(p), "spoof", "tablet", "") for p in site["spoof"][:10]])
    dev_rows = []
    for source in ("eyashita", "kalyanipatil"):
        frames = source_frames(faces_dir, source)
        dev_rows += [(str(p), label, source, source) for label in ("live", "spoof") for p in frames[label][::40][:2]]
    write_labels(tmp_path / "dev.csv", dev_rows)

    code, out, err = run(capsys, "liveness", "site-samples", "--add", str(tmp_path / "site.csv"), "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["added"] == {"taught": 20, "skipped": 0}
    assert answer["samples"] == {"phone": 0, "tablet": 10, "print": 0, "real": 10}

    code, out, err = run(capsys, "liveness", "teach-retrain", "--dev-labels", str(tmp_path / "dev.csv"), "--json")
    assert code == 0, err
    answer = json.loads(out)
    # Held back: the last quarter in time of each kind (2 tablet, 2 real frames).
    assert answer["held_back"] == {"phone": 0, "tablet": 2, "print": 0, "real": 2}
    assert answer["before"]["bpcer"] == 0.5  # the test pack's pair refuses one of the two real faces held back
    # Kept: no worse on either side. With 8 + 8 frames taught and 8 development rows the thresholds are
    # set by 8 real faces of this room, so the held-back figures stay 0% APCER / 50% BPCER; the
    # 16-frame teach in tests/flows/test_teach.py gets 0% / 0%.
    assert answer["kept"] and answer["after"]["apcer"] == 0.0 and answer["after"]["bpcer"] <= answer["before"]["bpcer"]
    t = answer["thresholds"]  # train_fusion's three, written into the taught pack
    assert t["liveness_low"] <= t["liveness"] <= t["liveness_high"]
    assert load_pack(answer["pack"]).thresholds.liveness_high == round(t["liveness_high"], 4)
    assert load_settings(data_dir=data_dir, environ={}).models == load_pack(answer["pack"]).root
    code, out, _ = run(capsys, "audit", "--json")
    assert [e["decision"] for e in json.loads(out) if e["event"] == "liveness_taught"] == ["kept"]

    code, out, _ = run(capsys, "liveness", "site-samples", "--clear")
    assert code == 0 and out.splitlines() == ["cleared 20 sample(s)", "site samples: phone 0, tablet 0, print 0, real 0"]
    code, out, _ = run(capsys, "audit", "--json")
    assert [e["detail"] for e in json.loads(out) if e["event"] == "liveness_samples_cleared"] == ["samples=20"]


def test_teach_retrain_without_samples_says_what_to_do(capsys, tmp_path, faces_dir):
    frames = source_frames(faces_dir, "eyashita")
    write_labels(tmp_path / "dev.csv", [(str(frames["live"][0]), "live", "", "eyashita")])
    code, _, err = run(capsys, "liveness", "teach-retrain", "--dev-labels", str(tmp_path / "dev.csv"))
    assert code == 1 and "no site liveness samples to teach with" in err and "Teach attacks" in err


def test_teach_retrain_site_only_says_so_and_uses_no_development_rows(capsys, faces_dir, tmp_path):
    site = source_frames(faces_dir, "yashpatil")
    write_labels(tmp_path / "site.csv", [(str(p), "live", "", "") for p in site["live"][:10]] + [(str(p), "spoof", "print", "") for p in site["spoof"][:10]])
    code, _, err = run(capsys, "liveness", "site-samples", "--add", str(tmp_path / "site.csv"))
    assert code == 0, err
    code, out, err = run(capsys, "liveness", "teach-retrain", "--site-only")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "taught:    this camera only"
    assert lines[1].startswith("judged on: every taught sample") and "(10 attacks, 10 real faces)" in lines[1]
    code, out, err = run(capsys, "liveness", "teach-retrain", "--site-only", "--json")
    answer = json.loads(out)
    assert answer["mode"] == "this camera only" and answer["development_rows"] == 0
    assert answer["features"] == [f for f in answer["features"] if not f.startswith("scene:")]  # the pair's own features, no scene cue
    code, out, _ = run(capsys, "audit", "--json")
    details = [e["detail"] for e in json.loads(out) if e["event"] == "liveness_taught"]
    assert len(details) == 2 and all("this camera only" in d for d in details)
