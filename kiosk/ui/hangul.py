"""Two-set (dubeolsik) Hangul composition for the on-screen keyboard.

A touch kiosk has no OS input method, so jamo typed on the keyboard are combined
into syllables here: initial + medial (+ final), compound vowels (ㅗ+ㅏ=ㅘ) and
compound finals (ㄱ+ㅅ=ㄳ), with a final consonant moving to the next syllable
when a vowel follows (각+ㅏ -> 가가). Plain Python so it is tested without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # index 0: no final

COMPOUND_VOWELS = {
    ("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ", ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ",
}
COMPOUND_FINALS = {
    ("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ", ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ",
}
_SPLIT_VOWELS = {v: k for k, v in COMPOUND_VOWELS.items()}
_SPLIT_FINALS = {v: k for k, v in COMPOUND_FINALS.items()}


def is_consonant(ch: str) -> bool:
    return ch in INITIALS


def is_vowel(ch: str) -> bool:
    return ch in MEDIALS


def syllable(initial: str, medial: str, final: str = "") -> str:
    """The precomposed syllable for jamo (e.g. ㅎ+ㅏ+ㄴ -> 한)."""
    code = 0xAC00 + (INITIALS.index(initial) * 21 + MEDIALS.index(medial)) * 28 + (FINALS.index(final) if final else 0)
    return chr(code)


@dataclass
class _Block:
    """The syllable being composed; any part may be empty."""

    initial: str = ""
    medial: str = ""
    final: str = ""

    def render(self) -> str:
        if self.initial and self.medial:
            return syllable(self.initial, self.medial, self.final)
        return self.initial or self.medial

    def empty(self) -> bool:
        return not (self.initial or self.medial or self.final)


class HangulComposer:
    """Committed text plus one syllable in composition; ``text`` is what the field shows."""

    def __init__(self, text: str = "") -> None:
        self.committed = text
        self.block = _Block()

    @property
    def text(self) -> str:
        return self.committed + self.block.render()

    def reset(self, text: str = "") -> None:
        self.committed = text
        self.block = _Block()

    def commit(self) -> None:
        """Finish the current syllable (before a Latin letter, space or field change)."""
        self.committed += self.block.render()
        self.block = _Block()

    def type_text(self, text: str) -> None:
        """Non-jamo input (letters, digits, space) ends composition and is appended."""
        self.commit()
        self.committed += text

    def feed(self, jamo: str) -> None:
        if is_vowel(jamo):
            self._vowel(jamo)
        elif is_consonant(jamo):
            self._consonant(jamo)
        else:
            self.type_text(jamo)

    def _consonant(self, c: str) -> None:
        b = self.block
        if b.initial and b.medial:
            if not b.final:
                if c in FINALS:
                    b.final = c
                    return
            elif (b.final, c) in COMPOUND_FINALS:
                b.final = COMPOUND_FINALS[(b.final, c)]
                return
        self.commit()
        self.block.initial = c

    def _vowel(self, v: str) -> None:
        b = self.block
        if b.final:
            # The final consonant (or the second half of a compound one) starts the next syllable.
            first, moved = _SPLIT_FINALS.get(b.final, ("", b.final))
            b.final = first
            self.commit()
            self.block = _Block(initial=moved, medial=v)
            return
        if b.medial:
            if (b.medial, v) in COMPOUND_VOWELS:
                b.medial = COMPOUND_VOWELS[(b.medial, v)]
                return
            self.commit()
            self.block.medial = v
            return
        b.medial = v
        if not b.initial:
            # A lone vowel cannot take a final; it stands by itself.
            self.commit()

    def backspace(self) -> None:
        """Undo one jamo of the composing syllable, else delete one committed character."""
        b = self.block
        if b.final:
            b.final = _SPLIT_FINALS.get(b.final, (b.final, ""))[0] if b.final in _SPLIT_FINALS else ""
        elif b.medial:
            b.medial = _SPLIT_VOWELS.get(b.medial, (b.medial, ""))[0] if b.medial in _SPLIT_VOWELS else ""
        elif b.initial:
            b.initial = ""
        else:
            self.committed = self.committed[:-1]
