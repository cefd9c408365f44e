"""The kiosk's workflows, shared by every front end and free of Qt.

Each module holds one workflow's rules: what a capture result means for a
sign-in (``signin``), how photos or a capture become an enrolled person
(``enroll``), deleting a person (``people``), the admin PIN with its lockout
(``admin_pin``), how a settings change reaches everyone who depends on it
(``live_settings``), and card + face: an id, then the face 1:1, with attempt limits and
a fallback PIN (``verify``), the id told from a badge reader's keys by timing (``badge``). The CLI commands parse arguments and print; the Qt screens
render a flow's state and forward touches. Both call the same functions here,
which in turn call ``kiosk.registry`` (store + matcher + audit).
"""
