"""The in-memory template matrix: identify (1:N top-k), verify (1:1), add and remove.

Rows live in one preallocated int8 matrix with a scale per row (``int8rows.py``: 1M
512-d templates in about 0.5 GB) that grows by doubling, so enrolling adds a row
without a reload and deleting moves the last row into the hole. One int8
matrix-vector product scores everyone; a person with several templates scores with
their best one.
With a shortlist (``use_shortlist``, the ``match.shortlist`` settings: on by default from
200k rows, where the full scan costs more than ~20 ms) a query scans each row's sign bits
first (``signbits.py``: 64 bytes a row at 512-d) and rescores only the nearest few thousand
rows from their int8 rows: 1M templates in under 20 ms instead of a 0.5 GB scan. A caller
that passes ``exact_below`` gets the full scan whenever the shortlist's best score is below it:
the registry passes its accept threshold raised to ``SHORTLIST_SURE`` + margin, so every answer
that is not a clear accept is the exact scan's, a row the shortlist missed is found when nothing
it kept is clearly acceptable, and a clear accept cannot have missed a close runner-up.
Rows carry person ids only: names live in the database and are looked up for the
few candidates returned, so start-up never builds 100k Python objects.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from kiosk.errors import StoreError
from kiosk.match import int8rows, signbits
from kiosk.match.topk import best_rows

_MIN_CAPACITY = 64

# A row at this cosine to the query or more makes a 2,048-row shortlist of 1M rows 99.99 % of
# the time, and 100 % from 0.50 (`bench store --matcher`, 200 rows planted per probe and cosine);
# a row under it may be missed. The registry scores every row unless its decision is safe from
# such a miss (``Bands.shortlist_exact_below``).
SHORTLIST_SURE = 0.45


class Hit(NamedTuple):
    person_id: int
    score: float  # cosine similarity of the person's best template


def normalize(vector: np.ndarray) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(v))
    if not np.isfinite(norm) or norm == 0.0:
        raise StoreError("template vector is zero or not finite")
    return v / norm


class Matcher:
    def __init__(self, embedding_size: int) -> None:
        self.embedding_size = embedding_size
        self._codes = np.zeros((_MIN_CAPACITY, embedding_size), dtype=np.int8)
        self._scales = np.zeros(_MIN_CAPACITY, dtype=np.float32)
        self._owner = np.zeros(_MIN_CAPACITY, dtype=np.int64)  # person id per row
        self._count = 0
        self._people: set[int] = set()
        self._shortlist = 0  # rows rescored exactly after the coarse stage; 0: every row, no coarse stage
        self._shortlist_from = 0  # rows the gallery must hold before the shortlist is used
        self._bits: np.ndarray | None = None  # sign bits per row, held once the gallery reaches that size

    def __len__(self) -> int:
        return self._count

    @property
    def nbytes(self) -> int:
        """Memory the rows hold, spare capacity included (embedding_size + 12 bytes a row, and
        a bit a dimension, in 64-bit words, for the sign bits while a shortlist is in use)."""
        bits = 0 if self._bits is None else self._bits.nbytes
        return self._codes.nbytes + self._scales.nbytes + self._owner.nbytes + bits

    @property
    def shortlist(self) -> int:
        return self._shortlist

    @property
    def shortlist_from(self) -> int:
        return self._shortlist_from

    def use_shortlist(self, rows: int, from_rows: int = 0) -> None:
        """Search in two stages whenever the gallery holds at least ``from_rows`` rows (and over 4x
        ``rows``): the ``rows`` nearest rows by sign bits, rescored exactly (0: score every row).
        Builds the sign bits once the gallery is that large (a small kiosk never holds them), or drops them."""
        if rows < 0:
            raise StoreError(f"shortlist of {rows} rows: must be 0 (score every row) or more")
        if from_rows < 0:
            raise StoreError(f"shortlist from {from_rows} rows: must be 0 (any gallery size) or more")
        self._shortlist, self._shortlist_from = rows, from_rows
        self._bits = signbits.pack(self._codes) if self._wants_bits(len(self)) else None

    def _wants_bits(self, rows: int) -> bool:
        return self._shortlist > 0 and rows >= self._shortlist_from

    @property
    def people(self) -> frozenset[int]:
        return frozenset(self._people)

    def load(self, owners: np.ndarray, matrix: np.ndarray) -> None:
        """Replace everything at once with unit float32 rows (quantized in chunks: no second float32 copy)."""
        self._replace(owners, *int8rows.quantize(np.asarray(matrix, dtype=np.float32).reshape(len(matrix), -1)))

    def load_codes(self, owners: np.ndarray, codes: np.ndarray) -> None:
        """Replace everything with int8 rows as the database seals them (start-up: no float32 at all)."""
        codes = np.array(codes, dtype=np.int8)  # a writable copy: a view of the database's bytes is read-only
        self._replace(owners, codes, int8rows.unit_scales(codes))

    def _replace(self, owners: np.ndarray, codes: np.ndarray, scales: np.ndarray) -> None:
        n = len(owners)
        if codes.shape != (n, self.embedding_size):
            raise StoreError(f"template matrix is {codes.shape}, expected ({n}, {self.embedding_size})")
        self._codes, self._scales = codes, scales
        self._owner = np.ascontiguousarray(owners, dtype=np.int64)
        self._count = n
        self._people = set(self._owner.tolist())
        self._bits = signbits.pack(codes) if self._wants_bits(n) else None

    def _unit(self, vector: np.ndarray) -> np.ndarray:
        v = normalize(vector)
        if v.shape[0] != self.embedding_size:
            raise StoreError(f"template has {v.shape[0]} values, the active model pack makes {self.embedding_size}")
        return v

    def add(self, person_id: int, vector: np.ndarray) -> None:
        self.add_many(np.array([person_id]), np.asarray(vector, dtype=np.float32).reshape(1, -1))

    def add_many(self, owners: np.ndarray, vectors: np.ndarray) -> None:
        """Rows for several people at once (a fleet pull: one quantization and at most one growth,
        not a few dozen NumPy calls per row). Only each row's direction counts."""
        rows = np.asarray(vectors, dtype=np.float32)
        if rows.ndim != 2 or rows.shape[0] != len(owners):
            raise StoreError(f"{len(owners)} owners for template rows of shape {rows.shape}")
        if rows.shape[1] != self.embedding_size:
            raise StoreError(f"template has {rows.shape[1]} values, the active model pack makes {self.embedding_size}")
        peaks = np.max(np.abs(rows), axis=1) if rows.size else np.zeros(0, np.float32)
        if not np.all(np.isfinite(peaks)) or np.any(peaks == 0):
            raise StoreError("template vector is zero or not finite")
        n, need = self._reserve(len(rows))
        int8rows.quantize(rows, out=self._codes[n:need], scales=self._scales[n:need])
        self._filled(n, need, owners)

    def add_codes(self, owners: np.ndarray, codes: np.ndarray) -> None:
        """Int8 rows as the database seals them (a fleet pull's new people): no float32 pass,
        the same scales as the start-up load (``load_codes``)."""
        codes = np.asarray(codes)
        if codes.dtype != np.int8 or codes.shape != (len(owners), self.embedding_size):
            raise StoreError(f"{len(owners)} owners for int8 rows of shape {codes.shape} ({codes.dtype}), expected {self.embedding_size} values each")
        n, need = self._reserve(len(codes))
        self._codes[n:need] = codes
        self._scales[n:need] = int8rows.unit_scales(codes)
        self._filled(n, need, owners)

    def _reserve(self, rows: int) -> tuple[int, int]:
        """Room for ``rows`` more (capacity doubles); returns the slice ``[n, need)`` they go in."""
        n, need = len(self), len(self) + rows
        if need > self._codes.shape[0]:
            grow = max(need, 2 * self._codes.shape[0], _MIN_CAPACITY) - self._codes.shape[0]
            self._codes = np.concatenate([self._codes, np.zeros((grow, self.embedding_size), dtype=np.int8)])
            self._scales = np.concatenate([self._scales, np.zeros(grow, dtype=np.float32)])
            self._owner = np.concatenate([self._owner, np.zeros(grow, dtype=np.int64)])
            if self._bits is not None:
                self._bits = np.concatenate([self._bits, np.zeros((grow, self._bits.shape[1]), dtype=np.uint64)])
        return n, need

    def _filled(self, n: int, need: int, owners: np.ndarray) -> None:
        """Rows ``[n, need)`` hold their codes and scales: their sign bits, owners and count follow."""
        if self._bits is not None:
            signbits.pack(self._codes[n:need], out=self._bits[n:need])
        elif self._wants_bits(need):  # the gallery just reached the size the shortlist engages at
            self._bits = signbits.pack(self._codes)
        self._owner[n:need] = owners
        self._count = need
        self._people.update(int(o) for o in owners)

    def remove_person(self, person_id: int) -> None:
        # Highest row first: the last row, moved into each hole, is never one still to remove.
        for row in self._rows_of(person_id)[::-1]:
            self._remove_row(int(row))
        self._people.discard(person_id)

    def _rows_of(self, person_id: int) -> np.ndarray:
        return np.flatnonzero(self._owner[: len(self)] == person_id)

    def _remove_row(self, row: int) -> None:
        last = self._count - 1
        if row != last:
            self._codes[row] = self._codes[last]
            self._scales[row] = self._scales[last]
            self._owner[row] = self._owner[last]
            if self._bits is not None:
                self._bits[row] = self._bits[last]
        self._count = last

    def _shortlisted(self, exact: bool) -> bool:
        """Whether a query takes the two-stage path: a shortlist set, the gallery at least its
        engage size and over 4x the shortlist (below that the full scan is cheap), not ``exact``."""
        n = len(self)
        return not exact and self._bits is not None and n >= self._shortlist_from and n > 4 * self._shortlist

    def _candidates(self, unit: np.ndarray, shortlisted: bool) -> tuple[np.ndarray, np.ndarray]:
        """Exact int8 scores and owners of the rows worth scoring: every row, or with ``shortlisted``
        the rows nearest ``unit`` by sign bits."""
        n = len(self)
        if not shortlisted or self._bits is None:
            return int8rows.scores(self._codes[:n], self._scales[:n], unit), self._owner[:n]
        query = signbits.pack(int8rows.quantize(unit.reshape(1, -1))[0])
        rows = signbits.nearest(signbits.distances(self._bits[:n], query), self._shortlist)
        return int8rows.scores(self._codes[rows], self._scales[rows], unit), self._owner[rows]

    def _scored(self, unit: np.ndarray, exact: bool, exclude: int | None, exact_below: float | None) -> tuple[np.ndarray, np.ndarray]:
        """Scores (``exclude``'s rows at -inf) and owners; a shortlist whose best is below ``exact_below``
        is thrown away for the full scan: only a score at or above it could be acted on."""
        shortlisted = self._shortlisted(exact)
        scores, owners = self._candidates(unit, shortlisted)
        if exclude is not None:
            scores = np.where(owners == exclude, -np.inf, scores)
        if shortlisted and exact_below is not None and not (len(scores) and float(np.max(scores)) >= exact_below):
            return self._scored(unit, True, exclude, None)
        return scores, owners

    def top_k(self, vector: np.ndarray, k: int = 5, *, exclude: int | None = None, exact: bool = False, exact_below: float | None = None) -> list[Hit]:
        """The ``k`` best people (each with their best template), best first. ``exact`` scores every
        row even with a shortlist in use (the duplicate check: a missed duplicate is never worth 20 ms);
        ``exact_below`` scores every row when the shortlist's best is below it (the caller's accept
        threshold: the matcher knows no policy), so a reject or retry is always the exact scan's."""
        if len(self) == 0 or k < 1:
            return []
        scores, owners = self._scored(self._unit(vector), exact, exclude, exact_below)
        n = len(scores)
        wanted = min(k, len(self._people) - (exclude in self._people))
        # A few more rows than people wanted is almost always enough (people rarely
        # have many templates); fall back to a per-person max over the scored rows when it is not.
        m = min(n, 4 * k + 16)
        rows = best_rows(scores, m)
        best: dict[int, float] = {}
        for r in rows:
            pid = int(owners[r])
            if pid not in best and np.isfinite(scores[r]):
                best[pid] = float(scores[r])
                if len(best) == wanted:
                    break
        if len(best) < wanted and m < n:
            best = self._per_person_max(scores, owners)
        # int8 rounding can put a face's own template a hair above 1: a cosine never is.
        return [Hit(pid, min(score, 1.0)) for pid, score in sorted(best.items(), key=lambda item: -item[1])[:k]]

    @staticmethod
    def _per_person_max(scores: np.ndarray, owners: np.ndarray) -> dict[int, float]:
        ids, inverse = np.unique(owners, return_inverse=True)
        best = np.full(len(ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, inverse, scores)
        return {int(pid): float(s) for pid, s in zip(ids, best) if np.isfinite(s)}

    def score_person(self, person_id: int, vector: np.ndarray) -> float | None:
        """Best score against one person's templates, or None when they have none here."""
        rows = self._rows_of(person_id)
        if rows.size == 0:
            return None
        return min(1.0, float(np.max(int8rows.scores(self._codes[rows], self._scales[rows], self._unit(vector)))))
