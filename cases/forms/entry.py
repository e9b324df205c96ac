"""The whole-case entry form: every part of a case on one page, read into one case document.

``CaseEntry`` holds the forms of the page (the case, its publication, the
feature checklist and a formset per child list), turns what was typed into
the document that ``case_create`` / ``case_update`` take, and puts the
service's errors (``serology.1.test``) back beside the input they are about.
"""

from django.core.exceptions import NON_FIELD_ERRORS

from cases.document.errors import error_places
from cases.document.schema import CHILDREN
from cases.forms.case import CaseFieldsForm, FeatureChecklist, PublicationForm
from cases.forms.rows import ROW_FORMS, row_formset, vocabulary_choices

# Service error keys that name a row field by another name than the form does.
_ROW_FIELD_ALIASES = {"site_ids": "targets", "site_indexes": "targets", "non_field_errors": None, "id": None}


class CaseEntry:
    def __init__(self, *, user, data=None, document: dict | None = None):
        """``document`` is the stored case (``cases.document.case_document``) when editing."""
        self.document = document
        doc = document or {}
        self.case_form = CaseFieldsForm(
            data, user=user, current_status=doc.get("status"), initial=CaseFieldsForm.initial_from(doc)
        )
        self.publication_form = PublicationForm(
            data, prefix="publication", initial=PublicationForm.initial_from(doc.get("publication"))
        )
        stored_features = doc.get("features", [])
        self.features = FeatureChecklist(
            data,
            prefix="features",
            initial=FeatureChecklist.initial_from(stored_features),
            in_use={row["feature"] for row in stored_features},
        )
        choices = vocabulary_choices()
        self.formsets = {
            key: row_formset(key)(
                data, prefix=key, initial=self._initial_rows(key, doc), form_kwargs={"vocabulary_choices": choices}
            )
            for key in ROW_FORMS
        }
        self.page_errors: list[str] = []
        self.section_errors: dict[str, list[str]] = {}
        self._positions: dict[str, list[int]] = {}  # document row → formset form index
        self._feature_codes: list[str] = []  # document feature row → feature code

    def _initial_rows(self, key: str, doc: dict) -> list[dict]:
        form = ROW_FORMS[key]
        if self.document is None:
            # A new case starts with one diagnosis row, the primary one.
            return [{"is_primary": True}] if key == "diagnoses" else []
        rows = [form.initial_from(row) for row in doc.get(key, [])]
        if key == "treatments":
            site_index = {site["id"]: str(i) for i, site in enumerate(doc.get("calcinosis_sites", []))}
            for row, stored in zip(rows, doc.get(key, []), strict=True):
                row["targets"] = [site_index[pk] for pk in stored.get("site_ids", []) if pk in site_index]
        return rows

    # Reading what was typed -------------------------------------------------------------------

    def is_valid(self) -> bool:
        forms_valid = all(f.is_valid() for f in (self.case_form, self.publication_form, self.features))
        formsets_valid = True
        for formset in self.formsets.values():
            if not formset.is_valid():
                formsets_valid = False
                # Only a damaged page gets here (the row forms accept any text).
                self.page_errors.extend(str(e) for e in formset.non_form_errors())
        return forms_valid and formsets_valid

    @property
    def version(self) -> str:
        return self.case_form.cleaned_data.get("version", "")

    def to_document(self) -> dict:
        doc = self.case_form.to_fields()
        if self.document is None or self.publication_form.typed() != self._stored_publication():
            # A publication left as it was is not sent: the case keeps the one it has.
            doc["publication"] = self.publication_form.to_publication()
        doc["features"], self._feature_codes = self.features.to_rows()
        for key, formset in self.formsets.items():
            rows, positions = [], []
            for index, form in enumerate(formset.forms):
                if form.cleaned_data.get("DELETE"):
                    continue
                if not form.is_stored and not form.has_changed():
                    continue  # a row added and left empty
                rows.append(form.to_row())
                positions.append(index)
            doc[key], self._positions[key] = rows, positions
        self._tie_treatments_to_sites(doc)
        return doc

    def _stored_publication(self) -> dict | None:
        stored = PublicationForm.initial_from((self.document or {}).get("publication"))
        return {k: str(v) for k, v in stored.items() if v not in ("", None)} or None

    def _tie_treatments_to_sites(self, doc: dict) -> None:
        # The form ticks site rows by their row number; the document names them by list position.
        site_position = {str(index): pos for pos, index in enumerate(self._positions["calcinosis_sites"])}
        forms = self.formsets["treatments"].forms
        for row, index in zip(doc["treatments"], self._positions["treatments"], strict=True):
            targets = forms[index].cleaned_data.get("targets") or []
            row["site_indexes"] = sorted({site_position[t] for t in targets if t in site_position})

    # Putting the service's errors back ----------------------------------------------------------

    def apply_errors(self, message_dict: dict[str, list[str]]) -> None:
        for place, messages in error_places(message_dict):
            if place.list == "features" and place.row is not None:
                self._place_feature(place.row, place.field, messages)
            elif place.list in self.formsets and place.row is not None:
                self._place_row(place.list, place.row, place.field, messages)
            elif place.list in self.formsets or place.list == "features":
                self.section_errors.setdefault(place.list, []).extend(messages)
            elif place.list == "publication":
                field = place.field if place.field in self.publication_form.fields else None
                prefix = f"{place.field}: " if place.field and field is None else ""
                self.publication_form.add_error(field, [f"{prefix}{m}" for m in messages])
            elif place.field in self.case_form.fields:
                self.case_form.add_error(place.field, messages)
            else:
                self.page_errors.extend(f"{place.field}: {m}" if place.field else m for m in messages)

    def _place_feature(self, row: int, field: str | None, messages: list[str]) -> None:
        try:
            code = self._feature_codes[row]
        except IndexError:
            self.section_errors.setdefault("features", []).extend(messages)
            return
        self.features.add_error(f"{code}__notes" if field == "notes" else code, messages)

    def _place_row(self, key: str, row: int, field: str | None, messages: list[str]) -> None:
        try:
            form = self.formsets[key].forms[self._positions[key][row]]
        except (IndexError, KeyError):
            self.section_errors.setdefault(key, []).extend(messages)
            return
        field = _ROW_FIELD_ALIASES.get(field, field)
        form.add_error(field if field in form.fields else None, messages)

    # What the page shows ----------------------------------------------------------------------

    def error_summary(self) -> list[dict]:
        """Every problem of the page, each with a link to its input (for the list at the top)."""
        items = [{"text": message, "href": "#form-errors"} for message in self.page_errors]
        for form, title in ((self.case_form, ""), (self.publication_form, "Publication")):
            items += _form_errors(form, title)
        for name, messages in self.features.errors.items():
            if name == NON_FIELD_ERRORS:
                items += [{"text": f"Clinical features: {m}", "href": "#section-features"} for m in messages]
                continue
            field = self.features[name]
            anchor = f"#{field.auto_id}_0" if not name.endswith("__notes") else f"#{field.auto_id}"
            items += [{"text": f"{field.label}: {m}", "href": anchor} for m in messages]
        for key, formset in self.formsets.items():
            noun, heading = CHILDREN[key].noun, CHILDREN[key].heading
            items += [{"text": f"{heading}: {m}", "href": f"#section-{key}"} for m in self.section_errors.get(key, [])]
            for index, form in enumerate(formset.forms):
                items += _form_errors(form, f"{noun.capitalize()} {index + 1}", anchor=f"#{key}-row-{index}")
        items += [
            {"text": f"Clinical features: {m}", "href": "#section-features"}
            for m in self.section_errors.get("features", [])
        ]
        return items


def _form_errors(form, title: str, anchor: str = "#form-errors") -> list[dict]:
    items = []
    for name, messages in form.errors.items():
        prefix = f"{title} – " if title else ""
        if name == NON_FIELD_ERRORS:
            items += [{"text": f"{prefix}{m}" if title else m, "href": anchor} for m in messages]
        else:
            field = form[name]
            href = f"#{field.auto_id}"
            if name == "targets":
                href = f"#{field.auto_id}-group"
            items += [{"text": f"{prefix}{field.label}: {m}", "href": href} for m in messages]
    return items
