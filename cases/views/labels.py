"""Words for codes: the pages show labels, the data stores codes.

Vocabulary labels are read from the database (curators improve them in the
admin), once per vocabulary per page; choice labels come from the document
schema's fields (their models' choices).
"""

from cases.document.schema import ChildList, Kind, named_field
from cases.models import VOCABULARIES

YES_NO = {True: "yes", False: "no", None: "not recorded"}


class Labels:
    """``labels("region", "finger_5")`` → "Little finger (finger 5)"; an unknown code reads as itself."""

    def __init__(self):
        self._loaded: dict[str, dict[str, str]] = {}

    def table(self, name: str) -> dict[str, str]:
        """A vocabulary's labels by code, or a field's choice labels (``laterality``, ``features.status``)."""
        if name not in self._loaded:
            if name in VOCABULARIES:
                self._loaded[name] = dict(VOCABULARIES[name].objects.values_list("code", "label"))
            else:
                self._loaded[name] = dict(named_field(name).choices)
        return self._loaded[name]

    def know(self, name: str, concepts) -> None:
        """Labels of a vocabulary already read for the page (the instruments with their ranges): no second query."""
        self._loaded.setdefault(name, {c.code: c.label for c in concepts})

    def __call__(self, name: str, code) -> str:
        if code in (None, ""):
            return ""
        return self.table(name).get(str(code), str(code))

    def labelled(self, child: ChildList, row: dict) -> dict:
        """A document row with ``<field>_label`` for each code and choice, ``<field>_labels`` for each list of
        codes, ``<field>_text`` for each yes/no; the rows of the lists inside it labelled alike."""
        out = dict(row)
        for f in child.fields:
            if f.name not in row:
                continue
            if f.kind is Kind.CODE:
                out[f"{f.name}_label"] = self(f.vocabulary, row[f.name])
            elif f.kind is Kind.CHOICE:
                out[f"{f.name}_label"] = self(f"{child.key}.{f.name}", row[f.name])
            elif f.kind is Kind.CODE_LIST:
                table = f.vocabulary or f"{child.key}.{f.name}"
                out[f"{f.name}_labels"] = [self(table, code) for code in row[f.name] or []]
            elif f.kind is Kind.TRISTATE:
                out[f"{f.name}_text"] = YES_NO[row[f.name]]
        for inner in child.children:
            if inner.key in row:
                out[inner.key] = [self.labelled(inner, inner_row) for inner_row in row[inner.key]]
        return out
