"""The filters of a selection in words: "condition Systemic sclerosis (incl. subtypes), Anti-Scl-70 positive".

Read from the validated filter form, so it says what the filterset applied; the
filters the clinic speaks of have a phrase of their own, every other one reads
as its label and value.
"""

from django.db.models import Model, QuerySet

PHRASES = {
    "condition": "condition {} (incl. subtypes)",
    "primary_condition": "primary condition {} (incl. subtypes)",
    "positive": "{} positive",
    "negative": "{} negative",
    "feature": "{} present",
    "feature_absent": "{} absent",
    "region": "calcinosis at {} (incl. sub-regions)",
    "agent": "treated with {}",
}
# Not a filter of the cases: how the page reads them.
NOT_FILTERS = {"ordering", "page", "indication_counted"}


def _value_words(field, value) -> list[str]:
    if isinstance(value, QuerySet | list | tuple):
        return [w for item in value for w in _value_words(field, item)]
    if isinstance(value, Model):
        return [getattr(value, "label", None) or getattr(value, "name", None) or str(value)]
    choices = dict(getattr(field, "choices", ()) or ())
    return [str(choices.get(value, value))]


def describe_filters(form) -> str:
    """The applied filters, in the panel's order; "" when none is set."""
    data = form.cleaned_data
    words = []
    low, high = data.get("age_min"), data.get("age_max")
    for name, field in form.fields.items():
        value = data.get(name)
        if name in NOT_FILTERS or value in (None, "", [], ()) or (isinstance(value, QuerySet) and not value):
            continue
        if name == "indication" and value == "any":  # which courses a chart counts, not a filter of the cases
            continue
        if name in ("age_min", "age_max"):
            if name == "age_min" or low is None:
                words.append(
                    f"aged {low} to {high}"
                    if low is not None and high is not None
                    else f"aged {low} or more"
                    if low is not None
                    else f"aged up to {high}"
                )
            continue
        values = _value_words(field, value)
        if name in ("positive", "negative", "feature", "feature_absent"):
            words.extend(PHRASES[name].format(v) for v in values)
        elif name in PHRASES:
            words.append(PHRASES[name].format(" and ".join(values)))
        else:
            label = str(field.label or name.replace("_", " "))
            words.append(f"{label[:1].lower()}{label[1:]}: {', '.join(values)}")
    return ", ".join(words)
