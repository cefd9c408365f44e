"""The supervisor passes its global options to the kiosk it starts: a pack folder made absolute, a pack name kept."""

from __future__ import annotations

import argparse

from kiosk.cli.supervise_cmd import global_args


def test_a_pack_folder_is_made_absolute_and_a_pack_name_is_passed_for_the_child_to_find(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here").mkdir()
    data = tmp_path / "data"

    def models(spec: str) -> str:
        args = argparse.Namespace(models=spec, providers=None, verbose=False)
        out = global_args(args, data)
        assert out[:2] == ["--data-dir", str(data)]
        return out[out.index("--models") + 1]

    assert models("here") == str(tmp_path / "here")
    assert models("pad-trained") == "pad-trained"  # no folder here: the child looks in <data>/models
