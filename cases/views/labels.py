"""Words for codes: the pages show labels, the data stores codes.

Vocabulary labels are read from the database (curators improve them in the
admin), once per vocabulary per page; choice labels come from the models.
"""

from cases.forms.choices import choices_of
from cases.models import VOCABULARIES


class Labels:
    """``labels("region", "finger_5")`` → "Little finger (finger 5)"; an unknown code reads as itself."""

    def __init__(self):
        self._loaded: dict[str, dict[str, str]] = {}

    def table(self, name: str) -> dict[str, str]:
        if name not in self._loaded:
            if name in VOCABULARIES:
                self._loaded[name] = dict(VOCABULARIES[name].objects.values_list("code", "label"))
            else:
                self._loaded[name] = dict(choices_of(name))
        return self._loaded[name]

    def __call__(self, name: str, code) -> str:
        if code in (None, ""):
            return ""
        return self.table(name).get(str(code), str(code))
