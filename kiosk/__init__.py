"""Offline face-recognition kiosk.

Layers (imports point downward only): ``ui`` -> ``capture``/``match``/``store``/``gallery``
-> ``engine`` -> ``config``/``errors``/``paths``. Only ``kiosk.ui`` imports Qt.
"""

__version__ = "0.1.0"
