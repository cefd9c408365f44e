"""The ``kiosk`` command: every capability of the kiosk without the GUI."""
