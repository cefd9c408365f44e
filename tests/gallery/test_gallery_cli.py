"""``kiosk gallery`` end to end: real models, a Korean-named dataset, bad photos in the batch."""

from __future__ import annotations

import json
import os
import shutil

from kiosk.cli.gallery_cmd import ProgressBar
from kiosk.cli.main import main
from kiosk.gallery import BuildProgress

from .actor_dataset import BAD, KOREAN_ACTOR, KOREAN_PHOTOS


def _dataset(tmp_path, faces_dir):
    root = tmp_path / "배우 사진 (actors)"
    for actor in ("Ross", "Joey"):
        shutil.copytree(faces_dir / "friends_boostface" / "Train" / actor, root / actor)
    for name in KOREAN_PHOTOS:
        (root / KOREAN_ACTOR).mkdir(exist_ok=True)
        shutil.copyfile(faces_dir / "deepface" / name, root / KOREAN_ACTOR / f"사진 ({name[:-4]}).jpg")
    (root / BAD.unreadable.replace("Chandler", "Joey")).write_bytes(b"GIF89a broken")
    return root


def test_build_list_query_info_remove(tmp_path, faces_dir, capsys):
    dataset = _dataset(tmp_path, faces_dir)

    assert main(["gallery", "build", "--dataset-dir", str(dataset)]) == 0
    out, err = capsys.readouterr()
    assert "3 actors from 10 of 11 photos" in out
    assert "Joey/broken (1).jpg  [Joey]  The file cannot be read: " in out  # the reason's words, then the read error
    assert "embedding [########################] 11/11 photos  0:00 left" in err  # not a terminal: plain lines

    assert main(["gallery", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["name"], a["photos"]) for a in listed] == [("Joey", 3), ("Ross", 4), (KOREAN_ACTOR, 3)]

    broken = tmp_path / "not a photo.jpg"
    broken.write_bytes(b"\x00" * 100)
    images = [faces_dir / "friends" / "Ross.png", faces_dir / "deepface" / "img5.jpg", broken, faces_dir / "friends_boostface" / "Test" / "all (1).jpeg"]
    code = main(["gallery", "query", *map(str, images), "--top-k", "2", "--json"])
    out = capsys.readouterr().out
    assert code == 4  # the unreadable photo's exit code; the others were still answered
    assert KOREAN_ACTOR in out  # written readably, not as \\uXXXX escapes
    results = json.loads(out)["images"]
    assert [len(r["faces"]) for r in results] == [1, 1, 0, 2]
    assert results[0]["faces"][0]["matches"][0]["name"] == "Ross"
    assert results[1]["faces"][0]["matches"][0]["name"] == KOREAN_ACTOR
    assert "not an image" in results[2]["error"]
    assert all(len(f["matches"]) == 2 and 0 <= f["matches"][0]["percent"] <= 100 for f in results[3]["faces"])

    assert main(["gallery", "remove", KOREAN_ACTOR]) == 0
    capsys.readouterr()
    assert main(["gallery", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["actors"], info["photos"], info["skipped"], info["pack_matches"]) == (2, 7, 1, True)

    assert main(["gallery", "remove", "Nobody"]) == 9
    assert capsys.readouterr().err.strip() == "error: no actor named 'Nobody' in the gallery (see kiosk gallery list)"


def test_query_without_a_gallery_says_how_to_build_one(faces_dir, capsys):
    assert main(["gallery", "query", str(faces_dir / "friends" / "Ross.png")]) == 9
    assert "kiosk gallery build" in capsys.readouterr().err


def test_build_with_no_usable_photo_keeps_nothing_and_fails(tmp_path, capsys):
    (tmp_path / "ds" / "Empty").mkdir(parents=True)
    (tmp_path / "ds" / "Broken").mkdir()
    (tmp_path / "ds" / "Broken" / "x.png").write_bytes(b"nope")
    assert main(["gallery", "build", "--dataset-dir", str(tmp_path / "ds")]) == 5
    out, err = capsys.readouterr()
    assert "actors with no usable photo (not in the gallery): Broken, Empty" in out
    assert "error: no actor has a usable photo" in err


def _read_all(master: int) -> bytes:
    """Everything written to a closed pty: one read may return only part of it (seen under load)."""
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO once the closed slave side is drained (Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_progress_bar_redraws_in_place_on_a_terminal():
    master, slave = os.openpty()
    with open(slave, "w", encoding="utf-8") as terminal:
        bar = ProgressBar(terminal, width=10)
        bar(BuildProgress("embedding", 1, 4, "Ross/a.png", 1.0, 75.0))
        bar(BuildProgress("embedding", 4, 4, "Ross/d.png", 4.0, 0.0))
    text = _read_all(master).decode("utf-8")
    os.close(master)
    assert text.startswith("\rembedding [##........] 1/4 photos  1:15 left  Ross/a.png")
    assert "\rembedding [##########] 4/4 photos  0:00 left  Ross/d.png" in text
    assert text.count("\n") == 1  # one line, redrawn, ended once
