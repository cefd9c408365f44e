"""``kiosk users reenroll``: the enroll flow's re-enrollment from the shell (real models and database)."""

from __future__ import annotations

import json

from kiosk.errors import DuplicateError, NotFoundError
from tests.store.test_cli import run


def test_reenroll_replaces_the_template_and_refuses_someone_elses_face(capsys, faces_dir):
    deep = faces_dir / "deepface"
    assert run(capsys, "users", "add", "--name", "Angelina Jolie", "--id", "P01", str(deep / "img1.jpg"))[0] == 0
    assert run(capsys, "users", "add", "--name", "Other", "--id", "P02", str(deep / "img3.jpg"))[0] == 0

    code, out, err = run(capsys, "users", "reenroll", "--id", "P01", str(deep / "img2.jpg"), str(deep / "img4.jpg"))
    assert code == 0, err
    assert out.strip() == "re-enrolled Angelina Jolie (id P01) from 2 of 2 photos"

    code, _, err = run(capsys, "users", "reenroll", "--id", "P01", str(deep / "img3.jpg"))  # P02's face
    assert code == DuplicateError.exit_code and "already enrolled as 'Other'" in err
    code, _, err = run(capsys, "users", "reenroll", "--id", "NOPE", str(deep / "img2.jpg"))
    assert code == NotFoundError.exit_code and "no person with id 'NOPE'" in err

    code, out, _ = run(capsys, "audit", "--json")
    events = [(e["event"], e["detail"]) for e in json.loads(out)]
    assert ("re_enroll", "frames=2") in events
    assert sum(1 for event, _ in events if event == "enroll_refused") == 1
    code, out, _ = run(capsys, "users", "list", "--json")
    assert [(p["id"], p["templates"]) for p in json.loads(out)] == [("P01", 1), ("P02", 1)]
