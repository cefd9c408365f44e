"""Keyboard-wedge readers vs people typing, on synthetic timestamps (seconds)."""

from __future__ import annotations

from kiosk.flows.badge import ENTER, BadgeReader


def feed(reader: BadgeReader, text: str, start: float, gap: float, enter_gap: float | None = None) -> list[str]:
    """Type ``text`` then Enter, ``gap`` seconds apart; the ids the reader yielded."""
    out, t = [], start
    for ch in text:
        if (got := reader.feed(ch, t)) is not None:
            out.append(got)
        t += gap
    t += (gap if enter_gap is None else enter_gap) - gap
    if (got := reader.feed(ENTER, t)) is not None:
        out.append(got)
    return out


def test_a_reader_burst_ending_in_enter_is_a_badge():
    reader = BadgeReader()
    assert feed(reader, "E1042", 10.0, 0.004) == ["E1042"]  # a wedge: 4 ms apart
    assert feed(reader, "QR-77:ab", 20.0, 0.012) == ["QR-77:ab"]  # a slower QR scanner, 12 ms


def test_a_person_typing_is_never_a_badge():
    reader = BadgeReader()
    assert feed(reader, "E1042", 10.0, 0.150) == []  # a typist, 150 ms apart
    assert feed(reader, "E1042", 20.0, 0.060) == []  # a very fast typist, 60 ms
    assert feed(reader, "E1042", 30.0, 0.004, enter_gap=0.5) == []  # fast keys but Enter pressed by hand later


def test_a_pause_inside_a_burst_starts_over():
    reader = BadgeReader()
    # A person's key lands just before a swipe: only the swipe's characters make the id.
    assert reader.feed("x", 5.0) is None
    assert feed(reader, "E1042", 5.5, 0.003) == ["E1042"]
    # A burst broken by a 100 ms pause: the tail alone is too short to be an id.
    assert feed(reader, "AB", 8.0, 0.003) == []
    assert reader.feed("C", 8.2) is None and reader.feed("D", 8.203) is None
    assert reader.feed(ENTER, 8.206) is None


def test_short_bursts_and_other_keys_are_not_ids():
    reader = BadgeReader()
    assert feed(reader, "12", 1.0, 0.003) == []  # two keys together: chance, not a badge
    assert feed(reader, "E1 42", 2.0, 0.003) == []  # a space breaks the burst; "42" alone is too short
    assert feed(reader, "", 4.0, 0.003) == []
