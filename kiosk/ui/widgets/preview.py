"""Live camera picture with the face boxes drawn over it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GOOD = QColor("#3ddc84")
BAD = QColor("#ffb300")


class PreviewWidget(QWidget):
    """Scales the newest frame to fit (aspect kept) and outlines faces in frame pixels.

    Only the newest frame is kept, so a slow paint never builds a backlog.
    """

    def __init__(self, parent: QWidget | None = None, mirror: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self._image: QImage | None = None
        self._boxes: list[tuple[Sequence[float] | np.ndarray, bool]] = []
        self.mirror = mirror

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    @property
    def image(self) -> QImage | None:
        return self._image

    def set_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    def set_boxes(self, boxes: Sequence[tuple[Sequence[float] | np.ndarray, bool]]) -> None:
        """``[(x1, y1, x2, y2), passed]`` in the pixels of the frames being shown."""
        self._boxes = list(boxes)
        self.update()

    def clear(self) -> None:
        self._image = None
        self._boxes = []
        self.update()

    def _target(self) -> QRectF:
        img = self._image
        assert img is not None  # _paint draws only a frame it has
        w, h = self.width(), self.height()
        scale = min(w / img.width(), h / img.height())
        tw, th = img.width() * scale, img.height() * scale
        return QRectF((w - tw) / 2, (h - th) / 2, tw, th)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), QColor("#101418"))
        if self._image is None or self._image.isNull():
            return
        target = self._target()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.save()
        if self.mirror:  # a mirror image: people move towards the side they mean to
            painter.translate(2 * target.x() + target.width(), 0)
            painter.scale(-1, 1)
        painter.drawImage(target, self._image)
        painter.restore()
        sx = target.width() / self._image.width()
        sy = target.height() / self._image.height()
        for box, passed in self._boxes:
            x1, y1, x2, y2 = (float(v) for v in box[:4])
            if self.mirror:
                x1, x2 = self._image.width() - x2, self._image.width() - x1
            pen = QPen(GOOD if passed else BAD, max(3.0, self.width() / 200))
            painter.setPen(pen)
            painter.drawRoundedRect(
                QRectF(target.x() + x1 * sx, target.y() + y1 * sy, (x2 - x1) * sx, (y2 - y1) * sy), 12, 12
            )


def qimage_to_bgr(image: QImage) -> np.ndarray:
    """A BGR ``uint8`` copy of a preview frame, for a job that looks at what the screen shows."""
    rgb = image.convertToFormat(QImage.Format.Format_BGR888)
    h, w = rgb.height(), rgb.width()
    data = np.frombuffer(rgb.constBits(), np.uint8, count=rgb.bytesPerLine() * h).reshape(h, rgb.bytesPerLine())
    return data[:, : w * 3].reshape(h, w, 3).copy()
