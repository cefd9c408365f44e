"""What deleting a person does to the rows that named them: the identity goes, the record stays.

An audit row of a deleted person keeps its time, event, score and decision, but its
person id is replaced by a pseudonym; an outbox event's ``person`` (external id and
name) becomes that pseudonym too. One pseudonym per deletion, random
(``deleted-3f2a9c1b``): the rows of one person still group (an auditor can still count
one person's rejections), and nothing links the pseudonym back to the id: a hash of the
id would, since employee numbers are easily tried one by one.

The deletion notice (``person.deleted``) is the one event left naming the person: it is
how the receivers of the kiosk's events learn whom to delete on their side. It goes with
the events retention once delivered. Events already delivered cannot be recalled.
"""

from __future__ import annotations

import json
import secrets

from kiosk.events import outbox
from kiosk.events.types import FIXED, encode
from kiosk.store.db import Database

PREFIX = "deleted-"
PSEUDONYM_NAME = "deleted person"
DELETION_NOTICE = FIXED["delete"]  # person.deleted


def new_pseudonym() -> str:
    return PREFIX + secrets.token_hex(4)


def pseudonymise_audit(db: Database, person_id: int, pseudonym: str) -> int:
    """The person's audit rows lose the person id for ``pseudonym``; how many rows."""
    cur = db.conn.execute("UPDATE audit SET person_id = NULL, pseudonym = ? WHERE person_id = ?", (pseudonym, person_id))
    return int(cur.rowcount)


def events_naming(db: Database, external_id: str) -> list[outbox.OutboxEvent]:
    """Stored events whose ``person`` is this external id, oldest first (the byte search
    only narrows the rows; the parsed document decides)."""
    needle = json.dumps(external_id, ensure_ascii=False).encode("utf-8")
    rows = db.conn.execute("SELECT seq, id, time, type, body FROM outbox WHERE instr(body, ?) > 0 ORDER BY seq", (needle,))
    found = [outbox.OutboxEvent(int(r[0]), r[1], r[2], r[3], bytes(r[4])) for r in rows]
    return [e for e in found if (person := e.document().get("person")) is not None and person.get("id") == external_id]


def pseudonymise_events(db: Database, external_id: str, pseudonym: str) -> int:
    """Stored events (queued or delivered) naming the person name ``pseudonym`` instead,
    except deletion notices; how many were rewritten. Event ids stay, so a receiver that
    already has one sees a re-sent copy as the same event."""
    count = 0
    for event in events_naming(db, external_id):
        if event.type == DELETION_NOTICE:
            continue
        document = event.document()
        document["person"] = {"id": pseudonym, "name": PSEUDONYM_NAME}
        db.conn.execute("UPDATE outbox SET body = ? WHERE seq = ?", (encode(document), event.seq))
        count += 1
    return count
