"""A concept found by what a clinician types: its code, its label, another name ("JDM", "thiosulphate"), or
the beginnings of its words ("sodium thio").

The entry page's script finds concepts the same way while the clinician types (``findConcept`` in
``static/js/case_form.js``); this is the form's copy for a page used without the script. The two are held
to each other by ``cases/tests/browser/test_vocabulary_search.py``. Both try the rules in order and stop at
the first that matches anything: a text becomes a code only when that rule names exactly one active concept.
Anything else stays as typed, and the service says beside it that it knows no such code.
"""

import re
import unicodedata

from cases.models import VOCABULARIES

# NFKD splits "ö" into "o" and its accent, "₂" into "2"; the accents are then dropped.
_ACCENTS = re.compile("[\u0300-\u036f]")
_NOT_WORD = re.compile("[^a-z0-9]+")


def words(text: str) -> list[str]:
    """``"Sjögren's syndrome"`` → ["sjogren", "s", "syndrome"]: what both copies compare."""
    folded = _ACCENTS.sub("", unicodedata.normalize("NFKD", text)).lower()
    return [word for word in _NOT_WORD.split(folded) if word]


def _exact(typed: list[str], name: list[str]) -> bool:
    return typed == name


def _word_starts(typed: list[str], name: list[str]) -> bool:
    return all(any(word.startswith(part) for word in name) for part in typed)


def _parts(typed: list[str], name: list[str]) -> bool:
    joined = " ".join(name)
    return all(part in joined for part in typed)


RULES = (_exact, _word_starts, _parts)


class ConceptIndex:
    """The concepts of the page's vocabularies, read once per vocabulary (for the datalists and the form)."""

    def __init__(self):
        self._concepts: dict[str, list] = {}

    def concepts(self, vocabulary: str) -> list:
        """Every concept of the vocabulary, inactive ones too (an old row keeps its code), in tree order."""
        if vocabulary not in self._concepts:
            self._concepts[vocabulary] = list(VOCABULARIES[vocabulary].objects.order_by("path"))
        return self._concepts[vocabulary]

    def code_for(self, vocabulary: str, typed) -> str:
        """The code ``typed`` names, or ``typed`` itself when it names none or several."""
        if not isinstance(typed, str) or not typed.strip():
            return typed
        text = typed.strip()
        concepts = self.concepts(vocabulary)
        if any(concept.code == text for concept in concepts):
            return text  # a code as stored, inactive ones included
        found = find(text, [c for c in concepts if c.active])
        return found.code if found is not None else typed


def names(concept) -> list[list[str]]:
    """What a concept is known by: its code, its label and its synonyms, each as words."""
    return [words(concept.code), words(concept.label), *(words(s) for s in concept.synonyms)]


def find(text: str, concepts: list):
    """The one concept ``text`` names under the first rule that matches any, else None."""
    typed = words(text)
    if not typed:
        return None
    for rule in RULES:
        matched = [c for c in concepts if any(rule(typed, name) for name in names(c))]
        if matched:
            return matched[0] if len(matched) == 1 else None
    return None
