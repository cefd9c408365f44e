"""Every database call behind the Registry goes through the error boundary.

Fault injection: the real SQLCipher connection is closed under the registry (as when
the file vanishes or the disk fails mid-run); every call must then raise a
``StoreError`` naming the database, never a raw ``sqlcipher3`` exception.
"""

from __future__ import annotations

import pytest

from kiosk.errors import StoreError
from tests.store.conftest import random_vectors, template


@pytest.mark.parametrize(
    "call",
    [
        lambda r, p, v, tmp: r.person("E001"),
        lambda r, p, v, tmp: r.verify(p.id, v),
        lambda r, p, v, tmp: r.re_enroll(p.id, template(v)),
        lambda r, p, v, tmp: r.export_backup(tmp / "backup.kiosk", "correct horse battery"),
        lambda r, p, v, tmp: r.reload(),
        lambda r, p, v, tmp: r.identify(v),
        lambda r, p, v, tmp: r.people(),
    ],
    ids=["person", "verify", "re_enroll", "export_backup", "reload", "identify", "people"],
)
def test_a_failing_database_is_a_store_error(registry, tmp_path, call):
    vector = random_vectors(1, registry.pack.embedding_size)[0]
    person = registry.enroll("Person", "E001", template(vector))
    registry.db.conn.close()  # the injected fault
    with pytest.raises(StoreError, match=str(registry.db.path)):
        call(registry, person, vector, tmp_path)
