"""Lookups on integer columns. ``__in`` (also on relations to them) ignores numbers out of the
column's range.

Django answers ``pk=<30 digits>`` with "no row" (``IntegerFieldOverflow``) but passes the same
number inside ``pk__in`` to the driver, which fails (SQLite: OverflowError, PostgreSQL: out of
range). Forms with several choices (``ModelMultipleChoiceField``), the admin and filters send
such lists straight from the request; a number no row can have matches nothing.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField, ManyToManyField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class InRangeMixin:
    def process_rhs(self, compiler, connection):
        field = self.lhs.output_field
        if hasattr(field, "path_infos"):  # a relation: the column it points to
            field = field.path_infos[-1].target_fields[-1]
        if self.rhs_is_direct_value() and isinstance(field, IntegerField):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not self.rhs:
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerFieldIn(InRangeMixin, In):
    pass


class RelatedInRange(InRangeMixin, RelatedIn):
    lookup_name = "in"


ForeignObject.register_lookup(RelatedInRange)
ManyToManyField.register_lookup(RelatedInRange)
