"""Draw the kiosk icon (a face inside camera-viewfinder corners) with Pillow.

The icon is ours, so the generated ``resources/icons/kiosk.ico`` and ``kiosk.png`` are
committed; rerun this only to change the design:
``.venv/bin/python scripts/make_icon.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
BACKGROUND = (21, 101, 192, 255)
FOREGROUND = (255, 255, 255, 255)
ACCENT = (129, 212, 250, 255)


def draw(side: int = 1024) -> Image.Image:
    """Draw at a large size and let Pillow downsample, so small sizes stay smooth."""
    img = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = side / 64  # one design unit
    d.rounded_rectangle((2 * u, 2 * u, 62 * u, 62 * u), radius=12 * u, fill=BACKGROUND)
    # viewfinder corners
    w, arm, lo, hi = 3 * u, 10 * u, 10 * u, 54 * u
    for x, y, dx, dy in ((lo, lo, 1, 1), (hi, lo, -1, 1), (lo, hi, 1, -1), (hi, hi, -1, -1)):
        d.line([(x, y + dy * arm), (x, y), (x + dx * arm, y)], fill=ACCENT, width=round(w), joint="curve")
    # head and shoulders
    d.ellipse((23 * u, 16 * u, 41 * u, 36 * u), fill=FOREGROUND)
    d.pieslice((19 * u, 38 * u, 45 * u, 64 * u), 180, 360, fill=FOREGROUND)
    return img


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(ICONS / "kiosk.png", optimize=True)
    big.save(ICONS / "kiosk.ico", sizes=ICO_SIZES)
    print(f"wrote {ICONS / 'kiosk.ico'} and {ICONS / 'kiosk.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
