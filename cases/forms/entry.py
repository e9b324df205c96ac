"""The whole-case entry form: every part of a case on one page, read into one case document.

``CaseEntry`` holds the forms of the page (the case, its publication, the
feature checklist and a formset per child list, with the lists inside a
follow-up visit), turns what was typed into the document that ``case_create`` /
``case_update`` take, and puts the service's errors (``serology.1.test``,
``assessments.1.scores.0.value``) back beside the input they are about.
"""

from django.core.exceptions import NON_FIELD_ERRORS

from cases.document.errors import error_places
from cases.document.schema import CHILDREN
from cases.forms.case import CaseFieldsForm, FeatureChecklist, PublicationForm
from cases.forms.lookup import ConceptIndex
from cases.forms.rows import ROW_FORMS, row_formset

# Service error keys that name a row field by another name than the form does.
_ROW_FIELD_ALIASES = {
    "site_ids": "targets",
    "site_indexes": "targets",
    "site_id": "lesion",
    "site_index": "lesion",
    "non_field_errors": None,
    "id": None,
}


class CaseEntry:
    def __init__(self, *, user, data=None, document: dict | None = None):
        """``document`` is the stored case (``cases.document.case_document``) when editing."""
        self.document = document
        doc = document or {}
        # The page's vocabularies, read once: its datalists, its ticks and the codes typed by another name.
        self.concepts = ConceptIndex()
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
        self.formsets = {
            key: row_formset(key)(
                data, prefix=key, initial=self._initial_rows(key, doc), form_kwargs={"concepts": self.concepts}
            )
            for key in ROW_FORMS
        }
        self.page_errors: list[str] = []
        self.section_errors: dict[str, list[str]] = {}
        self._positions: dict[str, list[int]] = {}  # document row → formset form index
        # (list, document row) → {inner list: [inner form index of each inner document row]}
        self._inner_positions: dict[tuple[str, int], dict[str, list[int]]] = {}
        self._feature_codes: list[str] = []  # document feature row → feature code

    def _initial_rows(self, key: str, doc: dict) -> list[dict]:
        form = ROW_FORMS[key]
        if self.document is None:
            # A new case starts with one diagnosis row, the primary one.
            return [{"is_primary": True}] if key == "diagnoses" else []
        rows = [form.initial_from(row) for row in doc.get(key, [])]
        # Rows name calcinosis sites by id; the form ticks and picks the site rows by their row number.
        site_row = {site["id"]: str(i) for i, site in enumerate(doc.get("calcinosis_sites", []))}
        if key == "treatments":
            for row, stored in zip(rows, doc.get(key, []), strict=True):
                row["targets"] = [site_row[pk] for pk in stored.get("site_ids", []) if pk in site_row]
        if key == "assessments":
            for row, stored in zip(rows, doc.get(key, []), strict=True):
                for finding, stored_finding in zip(row["site_findings"], stored["site_findings"], strict=True):
                    finding["lesion"] = site_row.get(stored_finding["site_id"], "")
        return rows

    # Reading what was typed -------------------------------------------------------------------

    def is_valid(self) -> bool:
        forms_valid = all(f.is_valid() for f in (self.case_form, self.publication_form, self.features))
        formsets_valid = True
        for formset in self._every_formset():
            if not formset.is_valid():
                formsets_valid = False
                # Only a damaged page gets here (the row forms accept any text).
                self.page_errors.extend(str(e) for e in formset.non_form_errors())
        return forms_valid and formsets_valid

    def _every_formset(self):
        for formset in self.formsets.values():
            yield formset
            if formset.is_bound and formset.management_form.is_valid():
                for form in formset.forms:
                    yield from form.nested.values()

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
                row = form.to_row()
                self._inner_positions[(key, len(rows))] = inner = {}
                for inner_key, inner_formset in form.nested.items():
                    kept = inner_formset.kept()
                    row[inner_key] = [inner_form.to_row() for _, inner_form in kept]
                    inner[inner_key] = [slot for slot, _ in kept]
                rows.append(row)
                positions.append(index)
            doc[key], self._positions[key] = rows, positions
        self._tie_treatments_to_sites(doc)
        self._tie_findings_to_sites(doc)
        return doc

    def _stored_publication(self) -> dict | None:
        stored = PublicationForm.initial_from((self.document or {}).get("publication"))
        return {k: str(v) for k, v in stored.items() if v not in ("", None)} or None

    def _site_position(self) -> dict[str, int]:
        """A calcinosis-site row number of the form → its position among the sites the document sends."""
        return {str(index): pos for pos, index in enumerate(self._positions["calcinosis_sites"])}

    def _tie_treatments_to_sites(self, doc: dict) -> None:
        # The form ticks site rows by their row number; the document names them by list position.
        site_position = self._site_position()
        forms = self.formsets["treatments"].forms
        for row, index in zip(doc["treatments"], self._positions["treatments"], strict=True):
            targets = forms[index].cleaned_data.get("targets") or []
            row["site_indexes"] = sorted({site_position[t] for t in targets if t in site_position})

    def _tie_findings_to_sites(self, doc: dict) -> None:
        """A lesion finding names its site row: a stored site by its id (so the stored finding is found
        again), a site new on this page by its position among the sites sent."""
        site_position = self._site_position()
        site_forms = self.formsets["calcinosis_sites"].forms
        visits = self.formsets["assessments"].forms
        for number, (row, index) in enumerate(zip(doc["assessments"], self._positions["assessments"], strict=True)):
            findings_formset = visits[index].nested["site_findings"]
            slots = self._inner_positions[("assessments", number)]["site_findings"]
            for finding, slot in zip(row["site_findings"], slots, strict=True):
                lesion = str(findings_formset.forms[slot].cleaned_data.get("lesion") or "")
                site_form = site_forms[int(lesion)] if lesion.isdigit() and int(lesion) < len(site_forms) else None
                stored_id = str(site_form["id"].value() or "").strip() if site_form is not None else ""
                if stored_id.isdigit():
                    # Also for a site ticked for removal: the service then says it is not among the case's.
                    finding["site_id"] = int(stored_id)
                elif lesion in site_position:
                    finding["site_index"] = site_position[lesion]

    # Putting the service's errors back ----------------------------------------------------------

    def apply_errors(self, message_dict: dict[str, list[str]]) -> None:
        for place, messages in error_places(message_dict):
            if place.list == "features" and place.row is not None:
                self._place_feature(place.row, place.field, messages)
            elif place.list in self.formsets and place.inner is not None:
                self._place_inner(place, messages)
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
        name = f"{code}__{field}" if field in ("notes", "timing") else code
        self.features.add_error(name, messages)

    def _row_form(self, key: str, row: int):
        try:
            return self.formsets[key].forms[self._positions[key][row]]
        except (IndexError, KeyError):
            return None

    def _place_row(self, key: str, row: int, field: str | None, messages: list[str]) -> None:
        form = self._row_form(key, row)
        if form is None:
            self.section_errors.setdefault(key, []).extend(messages)
            return
        field = _ROW_FIELD_ALIASES.get(field, field)
        form.add_error(field if field in form.fields else None, messages)

    def _place_inner(self, place, messages: list[str]) -> None:
        """A message about a score or a lesion finding of a visit, beside its input in that visit's row."""
        form = self._row_form(place.list, place.row)
        if form is None or place.inner not in form.nested:
            self.section_errors.setdefault(place.list, []).extend(messages)
            return
        formset = form.nested[place.inner]
        slots = self._inner_positions.get((place.list, place.row), {}).get(place.inner, [])
        if place.inner_row is None or place.inner_row >= len(slots):
            form.inner_errors.setdefault(place.inner, []).extend(messages)
            return
        inner_form = formset.forms[slots[place.inner_row]]
        field = _ROW_FIELD_ALIASES.get(place.field, place.field)
        inner_form.add_error(field if field in inner_form.fields else None, messages)

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
            anchor = f"#{field.auto_id}" if "__" in name else f"#{field.auto_id}_0"
            items += [{"text": f"{field.label}: {m}", "href": anchor} for m in messages]
        for key, formset in self.formsets.items():
            noun, heading = CHILDREN[key].noun, CHILDREN[key].heading
            items += [{"text": f"{heading}: {m}", "href": f"#section-{key}"} for m in self.section_errors.get(key, [])]
            for index, form in enumerate(formset.forms):
                title = f"{noun.capitalize()} {index + 1}"
                items += _form_errors(form, title, anchor=f"#{key}-row-{index}")
                items += _inner_errors(form, title)
        items += [
            {"text": f"Clinical features: {m}", "href": "#section-features"}
            for m in self.section_errors.get("features", [])
        ]
        return items


def _inner_errors(form, title: str) -> list[dict]:
    """The problems of the lists inside a row (a visit's scores and lesion findings)."""
    items = []
    for section in form.nested_sections():
        formset = section["formset"]
        anchor = f"#{formset.prefix}-section"
        messages = form.inner_errors.get(section["key"], [])
        items += [{"text": f"{title} – {section['heading']}: {m}", "href": anchor} for m in messages]
        for index, inner in enumerate(formset.forms):
            inner_title = f"{title} – {section['noun']} {index + 1}"
            items += _form_errors(inner, inner_title, anchor=f"#{formset.prefix}-row-{index}")
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
            elif field.widget_type == "checkboxselectmultiple":
                href = f"#{field.auto_id}-field"  # the ticks' fieldset
            items += [{"text": f"{prefix}{field.label}: {m}", "href": href} for m in messages]
    return items
