"""Events: what the kiosk decided, told to the systems that act on it.

Every audited decision also writes an event into the ``outbox`` table in the same
SQLCipher transaction (``kiosk.store.audit.record``); sender threads deliver the
outbox to the configured sinks (webhook, command, JSON-lines file) at least once and
in order per sink. Qt-free: the GUI only starts and stops the sender and reads its status.
"""
