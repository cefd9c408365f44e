"""The gallery folder's commit and clean-up rules (plain files, no models)."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from kiosk.errors import StoreError
from kiosk.gallery import storage


def test_commit_keeps_what_the_manifest_names_and_fresh_temp_files(tmp_path):
    root = tmp_path / "gallery"
    old = storage.write_matrix(root, "templates-old.npy", np.zeros((1, 4)))
    new = storage.write_matrix(root, "templates-new.npy", np.ones((2, 4)))
    emb = storage.write_matrix(root, "embeddings-new.npy", np.ones((3, 4)))
    (root / "thumbs").mkdir()
    (root / "thumbs" / "kept.jpg").write_bytes(b"j")
    (root / "thumbs" / "orphan.jpg").write_bytes(b"j")
    (root / ".lookups.json-inflight").write_bytes(b"{}")  # another process writing right now
    abandoned = root / ".tmp-abandoned"
    abandoned.write_bytes(b"x")
    os.utime(abandoned, (time.time() - 7200, time.time() - 7200))
    assert storage.increment_lookups(root) == 1

    storage.commit_manifest(root, {"templates_file": new, "embeddings_file": emb, "actors": [{"thumbnail": "thumbs/kept.jpg"}], "photos": []})

    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert left == [".lookups.json-inflight", "embeddings-new.npy", "lookups.json", "manifest.json", "templates-new.npy", "thumbs/kept.jpg"]
    assert not (root / old).exists()
    assert storage.read_manifest(root)["templates_file"] == new
    assert storage.read_lookups(root) == 1


def test_a_matrix_of_the_wrong_width_is_refused(tmp_path):
    storage.write_matrix(tmp_path, "m.npy", np.zeros((2, 128)))
    assert storage.read_matrix(tmp_path, "m.npy", 128).shape == (2, 128)
    with pytest.raises(StoreError, match="expected"):
        storage.read_matrix(tmp_path, "m.npy", 512)
    with pytest.raises(StoreError, match="missing or damaged"):
        storage.read_matrix(tmp_path, "gone.npy", 512)
