"""Full names by a given-name gazetteer: the second opinion beside the Rampart tagger.

The tagger misses full names whose words its PII training data lacks ("Barack Obama", "Elon
Musk", "Narendra Modi"), in any letter case. This stage finds *<given name> <surname-like word>*
where the given name is in a gazetteer of first names and the next word could be a surname:
letters only, not a function or prompt word ("in", "wearing", "posing"), not an intent lexicon
term ("bikini"). ``combine`` joins these spans with the tagger's, adds possessive kin ("Obama's
wife": one specific person) and drops a very common first name alone ("Victoria's Secret", "a
woman named Rose"), which does not single out anyone.

Gazetteer: the ``nomquamgender`` wheel's data (MIT, Van Buskirk et al. 2022, ~720,000 first
names from public name-gender sources worldwide). Only names seen at least ``MIN_COUNT`` times
are kept, which drops the noise rows; the kept 41,109 names and counts ship as
``given_names.tsv`` (rebuilt byte for byte by tools/vendor_given_names.py from the wheel's JSON,
whose SHA-256 its header records). docs/names-gazetteer.md is the data card.

Immutable after ``__init__``; ``find`` and ``combine`` are pure, safe across threads.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

from genguard.detectors.names.tagger import NameModelError, NameSpan

#: A first name must be attested this often in the gazetteer (its count field) to be kept:
#: rows under it are mostly typos, initials and scraping noise. Set on the dev split of
#: tests/detectors/data/named_people.json, whose rarest Latin given names in the list are
#: "Narendra" (240) and "Barack" (359); common words pass it too ("the" 852), hence ``NOT_SURNAME``.
MIN_COUNT = 200
#: A first name this common (count in the gazetteer) alone is no reference to anyone: "Jessica",
#: "Victoria" (720,859), "Emma". Rarer ones alone are more often mononyms: "Shakira" (11,658),
#: "Rihanna", "Madonna" (9,987), "Jennie" (136,213); "Adele" (107,413) sits under it too.
COMMON_COUNT = 150_000
#: The score a gazetteer span carries: at the real-person bar, so a gazetteer name counts as a
#: reference; the tagger's own score is kept where both find a name.
SCORE = 0.6


def _words(text: str) -> frozenset[str]:
    """A word list written as prose, one space between words."""
    return frozenset(text.split())


#: Words that follow a first name in prompts without being a surname, and English words that
#: the gazetteer holds as rare given names. Lower case.
NOT_SURNAME = _words("""
a an the and or but nor of in on at to into onto from by with without for as is are was were be
been being who whom whose that this these those which what where when while wearing wears wore
worn dressed dressing posing poses posed standing stands sitting sits lying lies walking walks
running runs smiling smiles looking looks holding holds giving gives taking takes making makes
having has had doing does did playing plays singing sings dancing dances eating eats drinking
sleeping lying kissing hugging naked topless nude style styled inspired by like than then very
street road avenue square park garden river lake beach bay harbour harbor city town village
county state province island mountain hill valley cathedral church temple palace castle tower
bridge station airport hotel restaurant cafe bar club school college university hospital museum
gallery theatre theater stadium mall market shop store catalogue catalog brand logo company
secret perfume flower flowers dress shirt skirt jeans hat car cars bus train plane boat phone
photo picture image portrait painting drawing sketch poster cover magazine book movie film show
song album video game cartoon anime character doll toy statue mannequin dog cat horse bird
day night morning evening summer winter spring autumn fall year old young girl boy woman man
women men lady gentleman baby child kid kids teen teenager family wife husband mother father
sister brother daughter son friend friends girlfriend boyfriend fan fans crowd people person
red blue green yellow black white pink purple orange brown grey gray gold silver
new big small little tall short long high low hot cold sexy cute beautiful pretty
please now here there today tonight again also only just not no yes so too you he she it we they
me him her us them i do don does can could would should will shall may might must many much more
most de la le el di da du van von der den del dos das two three four five six seven eight nine ten
guy guys bear teddy love angel baby honey sugar sweet star jet sky snow rock wood
""")

#: Words after which a capitalised pair is a place, brand or thing, not a person ("in Santa
#: Monica", "a Tommy Hilfiger swimsuit", "the Jordan river"). "of" and "by" stay out: "photo of
#: <name>", "by <artist>" name people.
NOT_BEFORE = _words("""
a an the this that these those in at on to from near into onto across around through over under
inside outside along my our your their its some any many every each several few for via
one two three four five six seven eight nine ten
""")

#: Function words of other languages that the given-name list also holds (Korean "Na", Chinese
#: "Su", "Che" as names): written in lower case they are articles, pronouns and prepositions
#: ("en su madriguera", "na barra", "numa estrada", "på skyltdockor", "che giocano").
NOT_GIVEN = _words("""
en na pa på numa num einer eine ein einem einen der die das den dem des de da do das dos la le les el los las
su sus sa se si di del della al au aux du un una une uno um uma im am zum zur vom ve ile bir und et ou
che chi per con non nel nella sul sulla dei delle que qui por para com pra mit von auf och med som
""")

#: Letters only Vietnamese writes (ă, đ, ơ, ư and the stacked tone marks).
_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")

_NEXT_WORD = re.compile(r"[ \t]+(\w)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


#: The vendored list: ``name<TAB>count`` lines after one ``#`` header naming the source.
GIVEN_NAMES = Path(__file__).with_name("given_names.tsv")


def read_given_names(path: Path = GIVEN_NAMES) -> dict[str, int]:
    """The vendored list (what :func:`load_given_names` kept from the source), or a clear error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {name: int(count) for name, count in (line.split("\t") for line in lines if not line.startswith("#"))}
    except (OSError, ValueError) as exc:
        raise NameModelError(f"first-name gazetteer unreadable at {path}: {exc}", code="name_model_missing") from exc


def load_given_names(path: Path, min_count: int = MIN_COUNT) -> dict[str, int]:
    """From the source JSON (``name -> [sources, count, share, flag]``): lower-case first names
    attested at least ``min_count`` times, letters only, with their count."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NameModelError(f"first-name gazetteer unreadable at {path}: {exc}") from exc
    return {
        name: int(row[1]) for name, row in rows.items()
        if isinstance(row, list) and len(row) > 1 and isinstance(row[1], (int, float)) and row[1] >= min_count
        and name.isalpha() and len(name) >= 2 and name not in NOT_SURNAME
    }


@functools.cache
def _bundled_names() -> dict[str, int]:
    """The vendored list, read once per process."""
    return read_given_names()


class NameGazetteer:
    """Finds *<given name> <surname>* spans; pure after ``__init__``."""

    def __init__(self, given: dict[str, int] | None = None) -> None:
        counts = _bundled_names() if given is None else given
        self._given = frozenset(counts)
        self._common = frozenset(name for name, count in counts.items() if count >= COMMON_COUNT)

    def combine(self, text: str, tagged: list[NameSpan], skip: Callable[[str], bool] = lambda word: False,
                cased: str | None = None) -> list[NameSpan]:
        """The tagger's spans in ``text`` with this stage's: full names and possessive kin added,
        a very common first name alone removed.

        A gazetteer span replaces the tagger spans it overlaps (the tagger often finds only
        "Swift" of "Taylor Swift"), keeping their best score. A one-word tagger span that is a
        common first name ("Victoria's Secret", "my friend Jessica") does not single anyone out;
        a rare one is kept, as it is more likely a mononym ("Rihanna", "Shakira").
        """
        found = self.find(text, skip, cased) + _possessive_kin(text, skip)
        kept = [t for t in tagged if not any(_overlaps(t, g) for g in found) and not self._first_name_alone(text, t)]
        merged = [NameSpan(g.text, g.start, g.end, max([g.score, *(t.score for t in tagged if _overlaps(t, g))]))
                  for g in found]
        return sorted([*kept, *merged], key=lambda span: span.start)

    def _first_name_alone(self, text: str, span: NameSpan) -> bool:
        """A one-word span that is a common first name, not followed by a capitalised word (a
        surname the tagger left out, "Theresa May")."""
        if " " in span.text.strip() or span.text.strip().casefold() not in self._common:
            return False
        after = _NEXT_WORD.match(text, span.end)
        return not (after and after.group(1).isupper())

    def find(self, text: str, skip: Callable[[str], bool] = lambda word: False, cased: str | None = None) -> list[NameSpan]:
        """Name spans in ``text``; ``skip(word)`` true means the word is never a surname.

        Two cues keep common-noun pairs out ("a tennis racket", "in Santa Monica", "a Ralph
        Lauren bikini"): a name does not follow an article, determiner or place preposition
        (``NOT_BEFORE``), and where the writer capitalises words mid-sentence a name must be
        capitalised too; an all-lower-case prompt may name someone in lower case.
        """
        words = list(_WORD.finditer(text))
        # ``cased``: the text as written, when ``text`` is a lower-cased reading of it (the
        # normalised view): the writer's capitals decide, not the normaliser's.
        source = cased if cased is not None else text
        # Vietnamese writes names capitalised, and its lower-case syllables are given names too
        # ("cửa hàng thời trang", fashion shop: "hang thoi").
        lower_ok = not any(_capitalised(w.group()) and not _sentence_start(source, w.start())
                           for w in _WORD.finditer(source)) and not _VIETNAMESE.search(source)
        spans: list[NameSpan] = []
        i = 0
        while i < len(words) - 1:
            first, second = words[i], words[i + 1]
            if self._starts_name(text, words, i, lower_ok) and _surname_like(second.group(), skip) \
                    and _capitalised(second.group()) == _capitalised(first.group()) \
                    and (_capitalised(second.group()) or not _inflected(second.group())):
                end = second.end()
                # A middle name or double surname: "Sarah Jessica Parker", "Gabriel García Márquez".
                if i + 2 < len(words) and _joins(text[end:words[i + 2].start()]) \
                        and _surname_like(words[i + 2].group(), skip) and _capitalised(words[i + 2].group()) \
                        and _capitalised(second.group()):
                    end = words[i + 2].end()
                    i += 1
                spans.append(NameSpan(text[first.start():end], first.start(), end, SCORE))
                i += 2
            else:
                i += 1
        return spans

    def _starts_name(self, text: str, words: list[re.Match[str]], i: int, lower_ok: bool) -> bool:
        first = words[i].group()
        if not self._is_given(first) or not _joins(text[words[i].end():words[i + 1].start()]):
            return False
        if not (lower_ok or _capitalised(first)):
            return False
        if not _capitalised(first) and first.casefold() in NOT_GIVEN:
            return False
        if not _capitalised(first) and text[words[i].end():words[i + 1].start()].strip() \
                and max(len(first), len(words[i + 1].group())) > 4:
            # A lower-case pair is joined by a space, or a hyphen between two syllables of a
            # romanised Korean name ("shin-hye"): "cross-section" is one word.
            return False
        return i == 0 or words[i - 1].group().casefold() not in NOT_BEFORE

    def _is_given(self, word: str) -> bool:
        return "'" not in word and "’" not in word and word.casefold() in self._given


def _surname_like(word: str, skip: Callable[[str], bool]) -> bool:
    """Letters, two or more; not a function/prompt word nor an intent term. A possessive counts
    ("Barack Obama's wife"): the possessive is on the surname, so the name is whole."""
    bare = re.sub(r"['’]s$", "", word)
    return len(bare) >= 2 and bare.isalpha() and bare.casefold() not in NOT_SURNAME and not skip(bare)


def _inflected(word: str) -> bool:
    """A lower-case "-ing"/"-ed" word is a verb form ("jet flying", "snow covered"), not a surname."""
    return word.casefold().endswith(("ing", "ed"))


def _sentence_start(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens the text or a sentence (its capital says nothing)."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:\n\"'(“"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _joins(gap: str) -> bool:
    """Words of one name are separated by spaces or a hyphen only (not a comma or a line)."""
    return gap.strip(" -") == "" and "\n" not in gap


def _overlaps(a: NameSpan, b: NameSpan) -> bool:
    return a.start < b.end and b.start < a.end


#: Relatives that a possessive points at: "Obama's wife" is one real person, whoever the reader is.
KIN = _words("""
wife husband daughter son mother mom mum father dad sister brother girlfriend boyfriend fiancee
fiance widow niece nephew granddaughter grandson partner ex
""")

_POSSESSIVE_KIN = re.compile(r"\b([^\W\d_]{2,})['’]s\s+([^\W\d_]+)")


def _possessive_kin(text: str, skip: Callable[[str], bool]) -> list[NameSpan]:
    """"<surname>'s wife" and the like, where the possessor could be a name (not "my friend's")."""
    return [
        NameSpan(m.group(0), m.start(), m.end(), SCORE) for m in _POSSESSIVE_KIN.finditer(text)
        if m.group(2).casefold() in KIN and m.group(1).casefold() not in NOT_SURNAME
        and m.group(1).casefold() not in NOT_BEFORE and not skip(m.group(1))
    ]


__all__ = ["COMMON_COUNT", "GIVEN_NAMES", "KIN", "MIN_COUNT", "NOT_BEFORE", "NOT_SURNAME", "NameGazetteer", "load_given_names", "read_given_names"]
