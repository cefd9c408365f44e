"""A real actor dataset built from ../shared photos, with every kind of bad photo mixed in.

``friends_boostface/Train`` (6 actors, 23 photos) is copied and extended with a Korean-named
actor whose folder and file names have spaces and parentheses (copies of deepface P01),
and one photo of each kind the build must refuse: unreadable, no face, two equal faces,
a face too small, and a stranger filed under Chandler (an outlier).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import cv2

from kiosk.engine.images import load_image

KOREAN_ACTOR = "배우 김 (Jolie) 테스트"
KOREAN_PHOTOS = ("img1.jpg", "img2.jpg", "img4.jpg")  # deepface P01; img5.jpg is kept back for queries
EMPTY_ACTOR = "Nobody Here"


@dataclass(frozen=True)
class BadPhotos:
    unreadable: str
    no_face: str
    two_faces: str
    too_small: str
    stranger: str


BAD = BadPhotos(
    unreadable="Chandler/broken (1).jpg",
    no_face="Joey/empty wall.png",
    two_faces="Monica/couple (2).jpg",
    too_small="Ross/tiny ross.png",
    stranger="Chandler/stranger.jpg",
)


def write_image(path: Path, image) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, data = cv2.imencode(path.suffix, image)
    assert ok
    data.tofile(str(path))


def make_dataset(target: Path, faces: Path) -> Path:
    shutil.copytree(faces / "friends_boostface" / "Train", target)
    for name in KOREAN_PHOTOS:
        dest = target / KOREAN_ACTOR / f"사진 ({name}).jpg"
        dest.parent.mkdir(exist_ok=True)
        shutil.copyfile(faces / "deepface" / name, dest)
    (target / BAD.unreadable).write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    group = load_image(faces / "friends_boostface" / "Test" / "all (44).png")
    write_image(target / BAD.no_face, group[-250:, :])  # the bottom strip: clothes and a table, no face
    shutil.copyfile(faces / "deepface" / "couple.jpg", target / BAD.two_faces)
    ross = load_image(faces / "friends_boostface" / "Train" / "Ross" / "ross (48).png")
    write_image(target / BAD.too_small, cv2.resize(ross, None, fx=0.12, fy=0.12, interpolation=cv2.INTER_AREA))
    shutil.copyfile(faces / "deepface" / "img3.jpg", target / BAD.stranger)  # deepface P02
    (target / EMPTY_ACTOR).mkdir()
    (target / EMPTY_ACTOR / "notes.txt").write_text("no photos yet", encoding="utf-8")
    return target
