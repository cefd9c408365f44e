"""The application model: the running kiosk's state and rules, without Qt.

In the manner of napari's ``ViewerModel``: ``KioskModel`` owns the services, the
admin session, the current screen, the camera state and the one capture owner, and
publishes typed events; ``kiosk/ui`` is a view that subscribes and forwards the
camera worker's outputs into ``KioskModel.handle``. A kiosk can run headless on it.
"""
