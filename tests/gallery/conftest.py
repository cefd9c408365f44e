"""Session fixtures: the actor dataset of ``actor_dataset.py`` and one gallery built from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.gallery import BuildSummary, DatasetSource, build_gallery

from .actor_dataset import make_dataset


@pytest.fixture(scope="session")
def actor_dataset(tmp_path_factory, faces_dir) -> Path:
    return make_dataset(tmp_path_factory.mktemp("dataset") / "actors (2024)", faces_dir)


@dataclass
class Built:
    data_dir: Path
    summary: BuildSummary
    progress: list


@pytest.fixture(scope="session")
def built(tmp_path_factory, actor_dataset, analyzer) -> Built:
    """The dataset built once for the whole session (about 5 s of model time)."""
    data_dir = tmp_path_factory.mktemp("gallery-data")
    progress: list = []
    summary = build_gallery(DatasetSource.from_folder(actor_dataset), analyzer, data_dir, progress.append)
    return Built(data_dir, summary, progress)
