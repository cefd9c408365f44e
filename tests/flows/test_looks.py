"""Several looks per person (issue 24 section 2) on the real pack, real SQLCipher and ../shared photos.

Figures asserted (test pack, deepface photos, thresholds low 0.25 / high 0.35 / margin 0.05 from
the pack): P10 enrolled from img27.jpg scores the probe img46.jpg at 0.386 (measured float32);
after img42.jpg is added as a look the probe scores 0.649 with its best look. The runner-up is
the other enrolled person (P01 from img1.jpg, 0.179 to the probe), not P10's weaker look (0.386).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kiosk.engine.types import AggregatedTemplate
from kiosk.errors import DuplicateError, KioskError, NotFoundError
from kiosk.flows import looks
from kiosk.flows.enroll import save, template_from_photos
from kiosk.match.types import Outcome
from kiosk.store.people import ENROLLED, RECENT
from tests.store.test_cli import run


def _photo_template(analyzer, faces_dir: Path, name: str, registry) -> AggregatedTemplate:
    template, _ = template_from_photos(analyzer, [faces_dir / "deepface" / name], registry.bands.low)
    return template


def _embed(analyzer, faces_dir: Path, name: str) -> np.ndarray:
    return analyzer.embed_image(faces_dir / "deepface" / name, policy="single").embedding


def _near(vector: np.ndarray, other: np.ndarray, weight: float) -> AggregatedTemplate:
    """A unit vector at a chosen closeness between two directions (for the rules that need exact scores)."""
    v = (1 - weight) * vector + weight * other
    return AggregatedTemplate(vector=(v / np.linalg.norm(v)).astype(np.float32), frames_used=1, outliers=0, quality=0.8)


@pytest.fixture
def p10(registry, analyzer, faces_dir):
    """P10 from one photo and P01 (Angelina Jolie) from one photo."""
    person = save(registry, "P10 person", "P10", _photo_template(analyzer, faces_dir, "img27.jpg", registry))
    save(registry, "Angelina Jolie", "P01", _photo_template(analyzer, faces_dir, "img1.jpg", registry))
    return person


def test_an_added_look_is_used_and_the_margin_is_to_another_person(registry, analyzer, faces_dir, p10):
    probe = _embed(analyzer, faces_dir, "img46.jpg")
    before = registry.identify(probe)
    assert before.person.external_id == "P10" and 0.35 < before.score < 0.42  # measured 0.386

    look = looks.add_look(registry, p10, _photo_template(analyzer, faces_dir, "img42.jpg", registry), label="other day")
    assert (look.label, look.kind) == ("other day", ENROLLED)
    after = registry.identify(probe)
    assert after.person.external_id == "P10" and after.score > 0.6  # measured 0.649: the best look
    assert after.score - before.score > 0.2

    # One row per look, one candidate per person: the runner-up is P01, never P10's other look.
    assert len(registry.matcher) == 3 and [c.person.external_id for c in after.candidates] == ["P10", "P01"]
    p01 = registry.person("P01")
    other = registry.matcher.score_person(p01.id, probe)
    assert after.runner_up == pytest.approx(other) and other < 0.25  # measured 0.179
    assert after.margin == pytest.approx(after.score - other) and after.margin > 0.4
    assert after.outcome == Outcome.ACCEPT
    assert [r.event for r in registry.audit_log(event="look_added")] == ["look_added"]


def test_add_look_refuses_another_face_and_a_look_alike(registry, analyzer, faces_dir, p10):
    with pytest.raises(KioskError, match="does not look like P10 person"):
        looks.add_look(registry, p10, _photo_template(analyzer, faces_dir, "img2.jpg", registry))  # P01's photo
    # A look that is P10 enough (>= low) but P01 at the duplicate threshold: someone else.
    p10_vec = registry.matcher._codes[0].astype(np.float32)
    p01_vec = registry.matcher._codes[1].astype(np.float32)
    blend = _near(p10_vec, p01_vec, 0.55)
    assert registry.matcher.score_person(p10.id, blend.vector) >= 0.25
    with pytest.raises(DuplicateError, match="looks like someone else: Angelina Jolie"):
        looks.add_look(registry, p10, blend)
    refused = registry.audit_log(event="look_refused")
    assert len(refused) == 2 and len(registry.looks(p10.id)) == 1 and len(registry.matcher) == 2


def test_max_looks_and_deleting_looks(registry, analyzer, faces_dir, p10):
    base = registry.matcher._codes[0].astype(np.float32)
    noise = np.random.default_rng(1).standard_normal((4, base.size)).astype(np.float32) * np.linalg.norm(base) / np.sqrt(base.size)
    first = looks.add_look(registry, p10, _near(base, noise[0], 0.3), label="glasses", max_looks=3)
    looks.add_look(registry, p10, _near(base, noise[1], 0.3), label="beard", max_looks=3)
    with pytest.raises(KioskError, match="already has 3 looks"):
        looks.add_look(registry, p10, _near(base, noise[2], 0.3), max_looks=3)
    assert [x.label for x in registry.looks(p10.id)] == ["", "glasses", "beard"]

    registry.delete_look(p10.id, first.id[:8])  # the short id the CLI prints is enough
    assert [x.label for x in registry.looks(p10.id)] == ["", "beard"] and len(registry.matcher) == 3
    registry.delete_look(p10.id, registry.looks(p10.id)[0].id)
    last = registry.looks(p10.id)
    with pytest.raises(KioskError, match="last look"):
        registry.delete_look(p10.id, last[0].id)
    with pytest.raises(NotFoundError):
        registry.delete_look(p10.id, "nosuchlook")
    assert len(registry.looks(p10.id)) == 1 and registry.matcher.score_person(p10.id, _near(base, noise[1], 0.3).vector) > 0.99
    assert [r.event for r in registry.audit_log(event="look_deleted")] == ["look_deleted", "look_deleted"]

    # After a migration the old pack's look stays, but the active pack's last look cannot go.
    registry.store_migrated("another-pack@1", [(p10.id, np.ones(128, np.float32), 0.5)])
    other = next(x for x in registry.looks(p10.id) if x.pack_id == "another-pack@1")
    with pytest.raises(KioskError, match="last look"):
        registry.delete_look(p10.id, last[0].id)
    registry.delete_look(p10.id, other.id)

    # Re-enrolling one chosen look keeps the others; re-enrolling the person replaces them all.
    looks.add_look(registry, p10, _near(base, noise[3], 0.3), label="mask")
    chosen = next(x for x in registry.looks(p10.id) if x.label == "mask")
    registry.re_enroll(p10.id, _near(base, noise[2], 0.3), look=chosen.id)
    assert sorted(x.label for x in registry.looks(p10.id)) == ["beard", "mask"] and len(registry.matcher) == 3
    registry.re_enroll(p10.id, _near(base, noise[0], 0.1))
    assert [x.label for x in registry.looks(p10.id)] == [""] and len(registry.matcher) == 2


def test_recent_look_refresh_is_bounded_audited_and_reverted(registry, analyzer, faces_dir, p10):
    probe = _embed(analyzer, faces_dir, "img46.jpg")
    decision = registry.identify(probe)
    assert not looks.should_refresh(registry, decision)  # off by default
    registry.refresh_recent_look = True
    assert looks.after_accept(registry, decision, probe) == pytest.approx(decision.score, abs=0.01)
    recent = [x for x in registry.looks(p10.id) if x.kind == RECENT]
    assert len(recent) == 1 and len(registry.matcher) == 3
    # Once per REFRESH_EVERY: the next accepted sign-in leaves the recent look alone.
    assert not looks.should_refresh(registry, registry.identify(probe))

    # Bounded: a template that matches only the recent look, not the enrolled ones at high, is refused.
    drifted = _near(probe, np.random.default_rng(2).standard_normal(probe.size).astype(np.float32) * np.linalg.norm(probe) / np.sqrt(probe.size), 0.45)
    enrolled = registry.matcher._codes[0].astype(np.float32)
    assert float(drifted.vector @ enrolled / np.linalg.norm(enrolled)) < 0.35
    assert registry.refresh_look(p10.id, drifted) is None
    assert [x.id for x in registry.looks(p10.id) if x.kind == RECENT] == [recent[0].id]
    rows = registry.audit_log(event="look_refreshed")
    assert sorted(r.decision for r in rows) == ["accept", "reject"]

    assert registry.revert_looks(p10.id) == 1
    assert [x.kind for x in registry.looks(p10.id)] == [ENROLLED] and len(registry.matcher) == 2
    assert registry.identify(probe).score < 0.42  # back to the enrolled look alone
    assert registry.revert_looks(p10.id) == 0


def test_looks_travel_in_a_backup(registry, analyzer, faces_dir, p10, tmp_path):
    looks.add_look(registry, p10, _photo_template(analyzer, faces_dir, "img42.jpg", registry), label="안경")
    registry.export_backup(tmp_path / "b.kbk", "pass phrase 1")
    registry.delete(p10.id)
    registry.import_backup(tmp_path / "b.kbk", "pass phrase 1")
    back = registry.person("P10")
    assert sorted(x.label for x in registry.looks(back.id)) == ["", "안경"]
    assert registry.identify(_embed(analyzer, faces_dir, "img46.jpg")).score > 0.6


def test_looks_from_the_command_line(capsys, faces_dir):
    deep = faces_dir / "deepface"
    assert run(capsys, "users", "add", "--name", "P10 person", "--id", "P10", str(deep / "img27.jpg"))[0] == 0
    code, out, err = run(capsys, "users", "add-look", "P10", str(deep / "img42.jpg"), "--label", "glasses", "--json")
    assert code == 0, err
    added = json.loads(out)
    assert added["label"] == "glasses" and added["kind"] == "enrolled"
    code, _, err = run(capsys, "users", "add-look", "P10", str(deep / "img2.jpg"))
    assert code == 1 and "does not look like P10 person" in err
    code, out, _ = run(capsys, "users", "looks", "P10", "--json")
    listed = json.loads(out)["looks"]
    assert [x["label"] for x in listed] == ["", "glasses"]
    code, out, _ = run(capsys, "users", "delete-look", "P10", listed[1]["look"][:8])
    assert code == 0 and "deleted look" in out
    code, _, err = run(capsys, "users", "delete-look", "P10", listed[0]["look"][:8])
    assert code == 1 and "last look" in err
    code, out, _ = run(capsys, "users", "revert-looks", "P10")
    assert code == 0 and "nothing to revert" in out


def test_several_looks_travel_in_a_fleet_record(registry, analyzer, faces_dir, p10):
    """The push seals every look with its label and kind; a pull applies them all (no server needed for the record)."""
    from kiosk.fleet.keys import FleetKey
    from kiosk.fleet.records import RecordSealer
    from kiosk.store import people as people_store
    from kiosk.store.backup import BackupPerson

    looks.add_look(registry, p10, _photo_template(analyzer, faces_dir, "img42.jpg", registry), label="glasses")
    registry.refresh_recent_look = True
    probe = _embed(analyzer, faces_dir, "img46.jpg")
    assert looks.after_accept(registry, registry.identify(probe), probe) is not None
    with registry.session() as db:
        mine = BackupPerson("P10", "P10 person", "active", "2026-01-01T00:00:00+00:00", people_store.template_records(db, p10.id))
    sealer = RecordSealer(FleetKey.new())
    fid = sealer.fleet_id("P10")
    _, pulled, _ = sealer.open(fid, 1, registry.pack_id, sealer.seal(fid, 1, registry.pack_id, "P10", mine))
    assert sorted((t.label, t.kind) for t in pulled.templates) == [("", "enrolled"), ("glasses", "enrolled"), ("recent", "recent")]

    # Pulled over the same person with a look added elsewhere: the face crop (the first look's) stays.
    from kiosk.store import faces

    with registry.session() as db:
        faces.put(db, p10.id, b"crop bytes")
    fewer = BackupPerson("P10", "P10 person", "active", mine.created, [t for t in pulled.templates if t.kind == ENROLLED][:1])
    registry.apply_remote([fewer], [])
    assert registry.face(p10.id) == b"crop bytes" and len(registry.looks(p10.id)) == 1
    registry.apply_remote([pulled], [])
    assert registry.face(p10.id) == b"crop bytes" and len(registry.looks(p10.id)) == 3
    # Re-enrolled elsewhere (another first look): the crop showed the old enrollment and goes.
    redone = BackupPerson("P10", "P10 person", "active", mine.created, [replace(t, created="2030-01-01T00:00:00+00:00") for t in fewer.templates])
    registry.apply_remote([redone], [])
    assert registry.face(p10.id) is None
    registry.delete(p10.id)
    registry.apply_remote([pulled], [])
    back = registry.person("P10")
    assert sorted((x.label, x.kind) for x in registry.looks(back.id)) == [("", "enrolled"), ("glasses", "enrolled"), ("recent", "recent")]
    assert len(registry.matcher) == 4 and registry.identify(probe).score > 0.6


def test_max_looks_setting_is_checked(data_dir, models_dir, monkeypatch):
    from kiosk.config import load_settings
    from kiosk.errors import ConfigError

    monkeypatch.setenv("KIOSK_ENROLL_MAX_LOOKS", "5")
    monkeypatch.setenv("KIOSK_ENROLL_REFRESH_RECENT_LOOK", "on")
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    assert (settings.enroll.max_looks, settings.enroll.refresh_recent_look) == (5, True)
    monkeypatch.setenv("KIOSK_ENROLL_MAX_LOOKS", "0")
    with pytest.raises(ConfigError, match="enroll.max_looks"):
        load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
