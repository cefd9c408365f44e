"""Card + face from the shell: a personal PIN set at enrollment or later, and a lockout cleared."""

from __future__ import annotations

from kiosk.cli.main import main
from kiosk.config import load_settings
from kiosk.engine.pack import resolve_pack
from kiosk.registry import Registry

T0 = 1_800_000_000.0


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_pin_at_enrollment_a_bad_one_first_then_removed_and_a_lockout_cleared(capsys, faces_dir, monkeypatch, data_dir):
    photo = str(faces_dir / "deepface" / "img1.jpg")
    monkeypatch.setenv("PERSON_PIN", "12a")
    code, _, err = run(capsys, "users", "add", "--name", "Ann", "--id", "E1", photo, "--pin", "--pin-env", "PERSON_PIN")
    assert code != 0 and "at least 6 digits" in err
    settings = load_settings(data_dir=data_dir)
    with Registry.open(settings, resolve_pack(settings)) as registry:
        assert registry.people() == []  # a bad PIN loses nothing and enrolls no one
    monkeypatch.setenv("PERSON_PIN", "555123")
    code, out, err = run(capsys, "users", "add", "--name", "Ann", "--id", "E1", photo, "--pin", "--pin-env", "PERSON_PIN")
    assert code == 0, err
    with Registry.open(settings, resolve_pack(settings)) as registry:
        ann = registry.find_person("E1")
        assert registry.has_person_pin(ann.id) and registry.check_person_pin(ann.id, "555123", T0) is None
        for i in range(5):
            registry.check_person_pin(ann.id, "000000", T0 + i)
        assert registry.lock_remaining(ann.id, T0 + 5) > 0
    code, out, _ = run(capsys, "users", "unlock", "E1")
    assert code == 0 and out.startswith("cleared the failed sign-ins of Ann")
    assert run(capsys, "users", "pin", "E1", "--remove")[0] == 0
    with Registry.open(settings, resolve_pack(settings)) as registry:
        ann = registry.find_person("E1")
        assert registry.lock_remaining(ann.id, T0 + 5) == 0 and not registry.has_person_pin(ann.id)
        assert [r.detail for r in registry.audit_log(event="person_pin")] == ["removed", "set"]
