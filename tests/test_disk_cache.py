"""The disk cache of expensive fixtures (tests/disk_cache.py): any changed input misses, an unchanged one hits."""

from __future__ import annotations

import numpy as np
import pytest

from tests.disk_cache import CACHE_ENV, cache_dir, cached_arrays, input_key


@pytest.fixture
def inputs(tmp_path):
    photo, model, code = tmp_path / "a.jpg", tmp_path / "m.onnx", tmp_path / "features.py"
    photo.write_bytes(b"photo")
    model.write_bytes(b"model")
    code.write_text("def f(): return 1\n")
    return photo, model, code


def test_the_key_changes_with_every_input(inputs, tmp_path):
    photo, model, code = inputs
    other = tmp_path / "b.jpg"
    other.write_bytes(b"other photo")

    def key(files=(photo, model), params=("runs",)):
        return input_key(files, params, code=[code])

    before = key()
    assert key() == before  # stable
    assert key(files=(photo, other, model)) != before  # another photo in the list
    assert key(files=(model, photo)) != before  # the same files in another order: rows would not line up
    assert key(params=("other runs",)) != before
    photo.write_bytes(b"photo, edited")
    assert key() != before
    photo.write_bytes(b"photo")
    assert key() == before  # content, not the file's time
    model.write_bytes(b"model, retrained")
    assert key() != before
    model.write_bytes(b"model")
    code.write_text("def f(): return 2\n")
    assert key() != before


def test_a_stored_result_is_reused_and_a_new_key_computes(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    calls = []

    def compute():
        calls.append(1)
        return {"x": np.arange(6, dtype=np.float32).reshape(2, 3), "names": np.asarray(["a", "b"])}

    first = cached_arrays("demo", "k1", compute)
    again = cached_arrays("demo", "k1", compute)
    assert len(calls) == 1
    assert np.array_equal(first["x"], again["x"]) and list(again["names"]) == ["a", "b"]
    cached_arrays("demo", "k2", compute)
    assert len(calls) == 2


def test_a_torn_file_is_computed_again(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    (tmp_path / "demo-k1.npz").write_bytes(b"PK\x03\x04 cut short")
    assert cached_arrays("demo", "k1", lambda: {"x": np.ones(2)})["x"].tolist() == [1.0, 1.0]
    assert cached_arrays("demo", "k1", lambda: {"x": np.zeros(2)})["x"].tolist() == [1.0, 1.0]  # the good file replaced it


def test_the_folder_is_outside_the_work_tree_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert cache_dir().parts[-2:] == (".cache", "kiosk-tests")
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_dir() is None
    calls = []
    cached_arrays("demo", "k", lambda: calls.append(1) or {"x": np.ones(1)})
    cached_arrays("demo", "k", lambda: calls.append(1) or {"x": np.ones(1)})
    assert len(calls) == 2
