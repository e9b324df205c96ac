"""``field__any=[…]``: ``field = ANY(%s)`` with the whole list as one array parameter.

A page of documents selects its rows by the page's 500 case ids. As ``__in`` that is 500 placeholders, and
psycopg's client-side binding splits such a query, too long for its cache, on every execution: a third of a
page's time went there (issue 16). One array parameter costs nothing to bind and plans the same.
"""

from django.db.models import Field, ForeignObject, Lookup


class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(v, connection) for v in self.rhs]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


Field.register_lookup(Any)
# Relations keep lookups of their own (``RelatedIn`` and the like) and do not inherit a field's.
ForeignObject.register_lookup(Any)
