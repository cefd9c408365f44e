"""Face pictures on the admin's screens: one crop with its caption, a row of them, a placeholder.

A crop arrives either as the store's JPEG bytes (a person's stored face) or as the
112 px BGR array of an enrollment picture (``kiosk.flows.faces.Picture``); both become
a square pixmap. A person without a stored crop (enrolled elsewhere, before crops were
kept, or with ``enroll.store_face_crops`` off) gets a drawn head-and-shoulders outline.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.ui.qimage import bgr_to_qimage
from kiosk.ui.screens.base import label, touch_scroll

PLACEHOLDER_BACK = QColor("#1f2833")
PLACEHOLDER_FORE = QColor("#4a5766")
ZERO_WIDTH_SPACE = "\u200b"


def face_pixmap(face: bytes | np.ndarray | None, size: int) -> QPixmap:
    """A ``size`` px square of the face, or the placeholder when there is none (or it does not decode)."""
    image = QImage()
    if isinstance(face, np.ndarray):
        image = bgr_to_qimage(face)
    elif face:
        image.loadFromData(face)
    if image.isNull():
        return placeholder_pixmap(size)
    return QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def placeholder_pixmap(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(PLACEHOLDER_BACK)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(PLACEHOLDER_FORE)
    painter.drawEllipse(QRectF(size * 0.32, size * 0.16, size * 0.36, size * 0.40))  # head
    shoulders = QPainterPath()
    shoulders.addRoundedRect(QRectF(size * 0.16, size * 0.62, size * 0.68, size * 0.50), size * 0.2, size * 0.2)
    painter.drawPath(shoulders)
    painter.end()
    return pixmap


def wrappable(text: str) -> str:
    """A file name may break anywhere: a word-wrapped label shows all of it instead of cutting it."""
    return ZERO_WIDTH_SPACE.join(text) if " " not in text else text


class FaceTile(QFrame):
    """A face and the words under it (who, or used / not used and why). ``used`` sets the frame colour."""

    def __init__(self, size: int = 112, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("faceTile")
        self.size_px = size
        self.image = QLabel()
        self.image.setObjectName("faceImage")
        self.image.setFixedSize(size, size)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = label("faceCaption")
        self.caption.setFixedWidth(size + 48)  # a little wider than the face: two short words a line
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.image, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)
        layout.addStretch(1)

    def show_face(self, face: bytes | np.ndarray | None, caption: str, used: bool | None = None) -> None:
        self.image.setPixmap(face_pixmap(face, self.size_px))
        self.caption.setText(caption)
        # Every line at the caption's fixed width, with the style sheet's font: a wrapped
        # label's size hint is not that, and the row's height comes from the tiles'.
        self.caption.ensurePolished()
        self.caption.setFixedHeight(self.caption.heightForWidth(self.caption.width()))
        self.setProperty("used", "" if used is None else ("yes" if used else "no"))
        self.style().unpolish(self)
        self.style().polish(self)


class FaceStrip(QScrollArea):
    """A row of face tiles that scrolls sideways under a finger when it is wider than the screen."""

    def __init__(self, size: int = 112, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("faceStrip")
        self.size_px = size
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.row = QHBoxLayout(inner)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addStretch(1)
        self.row.addStretch(1)
        self.setWidget(inner)
        touch_scroll(self)
        self.tiles: list[FaceTile] = []

    def show_faces(self, faces: list[tuple[bytes | np.ndarray | None, str, bool | None]]) -> None:
        """``(face, caption, used)`` per tile, left to right, centred when they fit."""
        while len(self.tiles) > len(faces):
            self.tiles.pop().deleteLater()
        while len(self.tiles) < len(faces):
            tile = FaceTile(self.size_px)
            self.row.insertWidget(len(self.tiles) + 1, tile)
            self.tiles.append(tile)
        for tile, (face, caption, used) in zip(self.tiles, faces):
            tile.show_face(face, caption, used)
        tallest = max((t.sizeHint().height() for t in self.tiles), default=0)
        for tile in self.tiles:
            tile.setFixedHeight(tallest)
        scroll = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(tallest + scroll if faces else 0)
        self.setVisible(bool(faces))
