"""Actor look-alike: the gallery built from an operator's actor photos, and lookup against it.

Public API for the CLI and the UI screen:
``ActorGallery.open(data_dir, pack)``, ``ActorGallery.exists(data_dir)``, ``.actors()``,
``.query(vector, k)``, ``.record_lookup()``; ``lookalikes(gallery, analyzer, frame, k)``; ``build_gallery(source, analyzer, data_dir, progress)``.
"""

from kiosk.gallery.build import BuildPolicy, BuildProgress, BuildSummary, SkippedPhoto, build_gallery
from kiosk.gallery.dataset import DatasetSource, PhotoEntry
from kiosk.gallery.gallery import ActorGallery, ActorInfo, ActorMatch, GalleryInfo
from kiosk.gallery.lookup import FaceLookalike, lookalikes
from kiosk.gallery.scoring import reading_order, similarity_percent

__all__ = [
    "ActorGallery",
    "ActorInfo",
    "ActorMatch",
    "BuildPolicy",
    "BuildProgress",
    "BuildSummary",
    "DatasetSource",
    "FaceLookalike",
    "GalleryInfo",
    "PhotoEntry",
    "SkippedPhoto",
    "build_gallery",
    "lookalikes",
    "reading_order",
    "similarity_percent",
]
