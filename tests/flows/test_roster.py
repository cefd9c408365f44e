"""Roster import on the real pack and database, from ../shared deepface photos.

The roster holds: a person with a corrupt photo beside good ones (enrolled from the good
ones), a person with a ';' list, a missing folder, a row whose only photo is corrupt, the
first person again under another id (a duplicate inside the roster), and a repeated id.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.errors import KioskError, NotFoundError
from kiosk.flows.roster import Progress, RosterImport, RowResult, RowStatus, import_all, read_roster
from tests.store.test_cli import run

REPO = Path(__file__).resolve().parents[2]
PEOPLE = {  # deepface identities -> two photos each (identities.csv)
    "P01": ("img1.jpg", "img2.jpg"), "P02": ("img3.jpg", "img12.jpg"), "P03": ("img8.jpg", "img9.jpg"),
    "P04": ("img13.jpg", "img14.jpg"), "P05": ("img16.jpg", "img17.jpg"), "P06": ("img18.jpg", "img19.jpg"),
}


def _copy(src: Path, folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(src / name, folder / name)


@pytest.fixture
def roster(tmp_path, faces_dir) -> Path:
    deep = faces_dir / "deepface"
    _copy(deep, tmp_path / "photos" / "ann", "img1.jpg", "img2.jpg", "img4.jpg")
    (tmp_path / "photos" / "ann" / "broken.jpg").write_bytes(b"not a jpeg")
    _copy(deep, tmp_path / "photos" / "loose", "img3.jpg", "img12.jpg", "img5.jpg")
    (tmp_path / "photos" / "bad").mkdir()
    (tmp_path / "photos" / "bad" / "only.jpg").write_bytes(b"\xff\xd8 truncated")
    path = tmp_path / "roster.csv"
    path.write_text(
        "id,name,photos\n"
        "E1,Angelina Jolie,photos/ann\n"  # line 2: 3 of 4 photos used
        "E2,김민수,photos/loose/img3.jpg; photos/loose/img12.jpg\n"  # line 3
        "E3,Nobody,photos/missing\n"  # line 4: missing folder
        "E4,Broken,photos/bad\n"  # line 5: the only photo is corrupt
        "E5,Angelina Again,photos/loose/img5.jpg\n"  # line 6: E1's face under another id
        "E2,Twice,photos/loose/img3.jpg\n",  # line 7: the id again
        encoding="utf-8",
    )
    return path


def _report(path: Path) -> dict[str, tuple[str, str, str]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return {r["line"]: (r["id"], r["status"], r["reason"]) for r in rows}


def _people(capsys) -> list[str]:
    code, out, _ = run(capsys, "users", "list", "--json")
    assert code == 0
    return sorted(p["id"] for p in json.loads(out))


def test_import_enrolls_the_good_rows_and_reports_the_rest(capsys, roster, tmp_path):
    report = tmp_path / "report.csv"
    code, out, err = run(capsys, "users", "import-roster", str(roster), "--report", str(report))
    assert code == 1, err  # some rows were refused
    assert out.strip().startswith("enrolled 2, re-enrolled 0, already enrolled 0, not enrolled 4 of 6 rows")
    assert "6/6 rows (2 enrolled, 4 not)" in err and "rows/s" in err and "people/s" in out
    rows = _report(report)
    assert set(rows) == {"4", "5", "6", "7"}
    assert rows["4"] == ("E3", "refused", "photos not found: photos/missing")  # as the roster names it
    assert rows["5"][:2] == ("E4", "refused") and "no usable photo" in rows["5"][2]
    assert rows["6"][:2] == ("E5", "refused") and "same face as id E1 on line 2 of this roster" in rows["6"][2]
    assert rows["7"][:2] == ("E2", "refused") and "already given on line 3" in rows["7"][2]
    assert _people(capsys) == ["E1", "E2"]
    code, out, _ = run(capsys, "audit", "--json")
    events = [e["event"] for e in json.loads(out)]
    assert events.count("enroll") == 2 and events.count("enroll_refused") == 1  # the in-roster duplicate, audited as `users add` does
    code, out, _ = run(capsys, "users", "import-roster", str(roster), "--json")  # again: the enrolled two are skipped by id
    result = json.loads(out)
    assert result["counts"]["already_enrolled"] == 2 and result["counts"]["enrolled"] == 0
    assert _people(capsys) == ["E1", "E2"]


def test_dry_run_writes_nothing_and_finds_the_same_problems(capsys, roster, tmp_path):
    report = tmp_path / "dry.csv"
    code, out, _ = run(capsys, "users", "import-roster", str(roster), "--dry-run", "--report", str(report))
    assert code == 1
    assert out.startswith("would enroll 2, already enrolled 0, not enrolled 4")
    rows = _report(report)
    assert set(rows) == {"4", "5", "6", "7"}
    assert "same face as id E1 on line 2 of this roster" in rows["6"][2]  # found without saving E1
    assert _people(capsys) == []
    code, out, _ = run(capsys, "audit", "--json")
    assert [e["event"] for e in json.loads(out)] == []


def test_replace_re_enrolls_and_a_database_duplicate_is_named(capsys, roster, tmp_path, faces_dir):
    deep = faces_dir / "deepface"
    assert run(capsys, "users", "add", "--name", "Old", "--id", "E1", str(deep / "img1.jpg"))[0] == 0
    assert run(capsys, "users", "add", "--name", "Other", "--id", "X9", str(deep / "img13.jpg"))[0] == 0
    small = tmp_path / "small.csv"
    shutil.copy(deep / "img14.jpg", tmp_path / "img14.jpg")  # X9's face (P04)
    small.write_text("ID,Name,Photos\nE1,Angelina Jolie,photos/ann\nE7,Look-alike,img14.jpg\n", encoding="utf-8")
    _, out, err = run(capsys, "users", "import-roster", str(small), "--replace", "--json")
    result = json.loads(out)
    assert result["counts"]["replaced"] == 1 and result["counts"]["refused"] == 1, err
    assert "already enrolled as 'Other'" in result["not_enrolled"][0]["reason"]
    assert _people(capsys) == ["E1", "X9"]


def test_bad_roster_files_are_named(tmp_path):
    with pytest.raises(NotFoundError, match="roster .*nope.csv not found"):
        read_roster(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,full name,pictures\n1,a,b\n", encoding="utf-8")
    with pytest.raises(KioskError, match="no name, photos column") as info:
        read_roster(bad)
    assert "id,name,photos" in (info.value.hint or "")
    odd = tmp_path / "odd.csv"
    (tmp_path / "empty").mkdir()
    odd.write_text("\ufeffphotos,id,name\n,A1,No photos\nempty,A2,Empty folder\nempty,,No id\n\n", encoding="utf-8")
    rows = read_roster(odd)
    assert [(r.line, r.external_id, r.problem.split(" ")[0]) for r in rows] == [(2, "A1", "no"), (3, "A2", "no"), (4, "", "no")]
    assert [r.problem for r in rows] == ["no photos listed", "no image files in empty", "no id"]


def test_progress_counts_rate_and_time_left(registry, analyzer, roster):
    ticks = iter(float(t) for t in range(100))
    seen: list[Progress] = []
    rows: list[RowResult] = []
    importer = RosterImport(registry, read_roster(roster)[:2], clock=lambda: next(ticks))
    importer.changed.connect(rows.append)
    importer.changed.connect(lambda _row: seen.append(importer.progress()))
    import_all(analyzer, importer)
    # one event per row, in roster order, each after the row's result is counted
    assert [(r.row.line, r.status) for r in rows] == [(2, RowStatus.ENROLLED), (3, RowStatus.ENROLLED)]
    assert [(p.done, p.total, p.enrolled) for p in seen] == [(1, 2, 1), (2, 2, 2)]
    assert seen[0].eta_s is not None and seen[0].eta_s > 0 and seen[-1].eta_s == 0
    assert [r.status for r in importer.results] == [RowStatus.ENROLLED, RowStatus.ENROLLED]


@pytest.mark.slow
def test_a_killed_import_resumes_without_duplicates(capsys, tmp_path, faces_dir, data_dir):
    """A real `kiosk` process is killed (SIGKILL) after 2 of 6 people; the rerun finishes the rest."""
    for pid, names in PEOPLE.items():
        _copy(faces_dir / "deepface", tmp_path / pid, *names)
    roster = tmp_path / "six.csv"
    roster.write_text("id,name,photos\n" + "".join(f"{pid},Person {pid},{pid}\n" for pid in PEOPLE), encoding="utf-8")
    env = dict(os.environ, KIOSK_DATA_DIR=str(data_dir))
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "users", "import-roster", str(roster)], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("2/6 rows"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(lines)
    before = _people(capsys)
    assert 2 <= len(before) < 6  # killed in the middle: some saved, not all
    code, out, err = run(capsys, "users", "import-roster", str(roster), "--json")
    assert code == 0, err
    counts = json.loads(out)["counts"]
    assert counts["already_enrolled"] == len(before) and counts["enrolled"] == 6 - len(before)
    assert _people(capsys) == sorted(PEOPLE)  # each id once
    code, out, _ = run(capsys, "audit", "--json")
    assert [e["event"] for e in json.loads(out)].count("enroll") == 6
