"""Refusing to delete what records still use, saying where it is used (the models PROTECT it)."""

from django.contrib import messages
from django.db.models import ForeignKey, ProtectedError
from django.db.models.deletion import PROTECT
from django.http import HttpResponseRedirect
from django.urls import reverse

SAMPLE = 5


def where_used(obj) -> list[str]:
    """One line per kind of record that points at ``obj`` and stops it being deleted."""
    lines = []
    for relation in type(obj)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.one_to_many):
            continue
        if relation.on_delete is not PROTECT:
            continue  # audit-history copies and rows deleted along with it do not stop a delete
        model = relation.related_model
        rows = model._base_manager.filter(**{relation.field.name: obj})
        count = rows.count()
        if not count:
            continue
        noun = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
        key = _naming_key(model, type(obj))
        if key is None:
            lines.append(f"{count} {noun}")
            continue
        names = ", ".join(rows.order_by(key).values_list(key, flat=True).distinct()[:SAMPLE])
        more = " and others" if count > SAMPLE else ""
        if key == "code":
            lines.append(f"{count} sub-concept{'' if count == 1 else 's'}: {names}{more}")
        elif key == "registry_id":
            lines.append(f"{count} {noun}: {names}{more}")
        else:
            lines.append(f"{count} {noun} in cases {names}{more}")
    return lines


def _naming_key(model, target):
    """How a curator recognises the referencing rows: the concept's code, the case's registry id."""
    if model is target:
        return "code"
    field_names = {f.name for f in model._meta.fields}
    if "registry_id" in field_names:
        return "registry_id"
    if any(isinstance(f, ForeignKey) and f.name == "case" for f in model._meta.fields):
        return "case__registry_id"
    return None


class RefuseDeletingWhatIsUsed:
    """ModelAdmin mixin: the delete pages list where each object is used instead of every row."""

    def get_deleted_objects(self, objs, request):
        in_use = [f"“{obj}” is in use: {'; '.join(lines)}" for obj in objs if (lines := where_used(obj))]
        if in_use:
            return [], {}, set(), in_use
        return super().get_deleted_objects(objs, request)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:
            # Someone used it between the confirmation page and the delete.
            self.message_user(request, "It is in use and was not deleted.", messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[object_id])
            )
