"""``kiosk capture`` end to end on real footage."""

from __future__ import annotations

import json

import cv2
import numpy as np

from kiosk.cli.main import main

HAMILTON = "short_hamilton_clip.mp4"


def test_json_login_on_a_video(videos_dir, capsys):
    rc = main(["capture", "--source", str(videos_dir / HAMILTON), "--profile", "login", "--json", "--skip", "80"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["result"]["outcome"] == "ok" and out["result"]["template"]["frames_used"] == 3
    assert out["pack"].startswith("test-pack@")
    assert [f["accepted"] for f in out["frames"]] == [True, True, True]
    assert out["frames"][0]["index"] == 80 + 5  # the skip, then the five warm-up frames
    assert "embedding" not in json.dumps(out)


def test_text_output_and_annotated_debug_frames(videos_dir, tmp_path, capsys):
    debug = tmp_path / "debug"
    rc = main(["capture", "--source", str(videos_dir / HAMILTON), "--profile", "login", "--save-debug", str(debug)])
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if line.startswith("frame ")]
    written = sorted(debug.glob("frame_*.jpg"))
    assert rc == 6  # the clip's first 30 analyzed frames never show one near, frontal face
    assert "result: not_enough" in text and "rejected (too_small" in text and "Please come a little closer" in text
    assert len(written) == len(lines) == 30
    first = cv2.imread(str(written[0]))
    original = cv2.VideoCapture(str(videos_dir / HAMILTON)).read()[1]
    assert first.shape == original.shape and not np.array_equal(first, original)  # drawn on


def test_a_folder_that_runs_out_is_reported_not_enough(tmp_path, capsys):
    cv2.imwrite(str(tmp_path / "blank.png"), np.full((240, 320, 3), 128, np.uint8))
    rc = main(["capture", "--source", str(tmp_path), "--profile", "enroll"])
    out = capsys.readouterr().out
    assert rc == 6 and "result: not_enough" in out


def test_bad_source_is_one_error_line(tmp_path, capsys):
    rc = main(["capture", "--source", str(tmp_path / "nope.mp4")])
    err = capsys.readouterr().err
    assert rc == 8 and err.startswith("error: source") and "Traceback" not in err
