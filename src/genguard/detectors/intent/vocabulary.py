"""Phrase lookup over normalised text: the matcher behind the edit-semantics parser.

A vocabulary maps phrases to tags. Phrases are matched on word tokens of the normaliser's
output, so the same spelling tricks the intent model sees through are undone here too. Three
forms cover the languages genguard reads:

* plain phrases, word-bounded ("take off", "bathing suit");
* a trailing ``*`` on any word, which matches every word with that beginning (Russian, Polish,
  Turkish and German inflect: "купальник*" finds "купальнике");
* Chinese, Japanese and Arabic phrases, found inside the text (no spaces between Chinese and
  Japanese words; Arabic attaches articles and prepositions to the word: "بالبيكيني").

Lookups cost one dictionary probe per token and phrase length, so a vocabulary of thousands of
phrases scans a prompt in tens of microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from genguard.detectors.intent.normalise import normalise

T = TypeVar("T")

#: Words and single non-space symbols, as the lexicon tokenises ("see-through" is three tokens).
#: Indic scripts (Devanagari to Sinhala) keep their vowel signs and viramas inside the word: Python's
#: ``\w`` leaves those marks out, which would cut "ন্যাংটো" into letters and every prefix test with it.
TOKEN_RE = re.compile(r"[\w\u0900-\u0dff]+|[^\w\s\u0900-\u0dff]")


def tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN_RE.findall(text))


def _is_substring_script(term: str) -> bool:
    """Chinese, Japanese (kana and ideographs), Arabic, Thai, Lao, Burmese, Khmer and Ethiopic terms
    match inside words (Thai, Lao, Burmese and Khmer, like Chinese, are written without spaces
    between words; Amharic attaches prepositions and possessives to the word: "ልብሷን", her clothes)."""
    return any("\u3040" <= ch <= "\u9fff" or "\u0600" <= ch <= "\u06ff" or "\u0e00" <= ch <= "\u0e7f"
               or "\u1200" <= ch <= "\u137f" or "\u1000" <= ch <= "\u109f" or "\u1780" <= ch <= "\u17ff"
               or "\u0e80" <= ch <= "\u0eff" for ch in term)


@dataclass(frozen=True)
class Hit(Generic[T]):
    """A phrase found at tokens ``start:end`` (for substring-script phrases: -1, -1)."""

    start: int
    end: int
    term: str
    tag: T


class Vocabulary(Generic[T]):
    """Phrases → tags; ``find`` returns every occurrence in a token sequence."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._exact: dict[str, list[tuple[tuple[str, ...], str, T]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], str, T]]] = {}
        self._substring: list[tuple[str, str, T]] = []
        for raw, tag in entries:
            term = normalise(raw)
            if _is_substring_script(term):
                self._substring.append((term.rstrip("*"), raw, tag))
                continue
            # "word*" tokenises as ("word", "*"): glue the star back onto its word.
            glued: list[str] = []
            for word in tokens(term):
                if word == "*" and glued:
                    glued[-1] += "*"
                else:
                    glued.append(word)
            words = tuple(glued)
            if not words:
                continue
            first = words[0]
            table = self._prefix if first.endswith("*") else self._exact
            table.setdefault(first.rstrip("*"), []).append((words, raw, tag))
        self._prefix_lengths = sorted({len(k) for k in self._prefix}, reverse=True)
        #: Words that begin a phrase: a word the vocabulary knows is never "repaired" into another.
        self.known = frozenset(self._exact)

    @staticmethod
    def _word_matches(pattern: str, word: str) -> bool:
        return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern

    def _candidates(self, word: str) -> Iterable[tuple[tuple[str, ...], str, T]]:
        yield from self._exact.get(word, ())
        for length in self._prefix_lengths:
            if length <= len(word):
                yield from self._prefix.get(word[:length], ())

    def find(self, words: tuple[str, ...], text: str) -> list[Hit[T]]:
        """Every phrase occurrence in ``words`` (tokens of ``text``) and in ``text`` itself."""
        hits: list[Hit[T]] = []
        for start, word in enumerate(words):
            for phrase, raw, tag in self._candidates(word):
                end = start + len(phrase)
                if end <= len(words) and all(
                    self._word_matches(p, w) for p, w in zip(phrase[1:], words[start + 1:end], strict=False)
                ):
                    hits.append(Hit(start, end, raw, tag))
        if self._substring and any(ord(ch) >= 0x0600 for ch in text):
            found = [(term, raw, tag) for term, raw, tag in self._substring if term in text]
            terms = {term for term, _, _ in found}
            # A term seen only inside a longer one found here is part of that word: Thai "เสื้อ"
            # (shirt) inside "เสื้อโค้ท" (coat) is the coat.
            hits.extend(Hit(-1, -1, raw, tag) for term, raw, tag in found
                        if not any(term != longer and term in longer and term not in text.replace(longer, " ")
                                   for longer in terms))
        return hits


_MASK_RE = re.compile(r"(?<!\S)([^\W\d_]*)([*#?_]+)([^\W\d_]*)(?!\S)")


def unmask(text: str, known: list[str]) -> str:
    """Read masked words ("sw*msuit", "n**ed", "b#kini") as the one known word they fit.

    A mask of n marks stands for n to n + 2 letters (fewest first), and the word
    must keep at least two letters either side in all; a mask that fits no known word, or several
    of the same length, is left as it is.
    """

    def resolve(match: re.Match[str]) -> str:
        head, mask, tail = match.groups()
        if len(head) + len(tail) < 2 or (mask == "?" and not tail):
            # "remove the hat?": a question mark ends a question; it masks nothing.
            return match.group(0)
        # The fewest hidden letters first: "l*ngerie" is "lingerie" before "loungerie", "sh*rt"
        # "shirt" before the misspelt "shoort"; several words of one length leave it as it is.
        for hidden in range(len(mask), len(mask) + 3):
            pattern = re.compile(rf"{re.escape(head)}\w{{{hidden}}}{re.escape(tail)}")
            fits = {w for w in known if len(w) >= 3 and pattern.fullmatch(w)}
            if fits:
                return fits.pop() if len(fits) == 1 else match.group(0)
        return match.group(0)

    return _MASK_RE.sub(resolve, text) if any(c in text for c in "*#?_") else text


__all__ = ["Hit", "Vocabulary", "tokens", "unmask"]
