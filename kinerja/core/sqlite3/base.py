"""Django's SQLite backend, reading every stored decimal instead of failing on a wide one.

SQLite keeps a number of any size in a DECIMAL column, and Django's converter then quantizes it to
the column's precision and raises InvalidOperation for a value wider than the column: one such
value (typed before the bounds existed, or written around them) made every page that reads it
answer 500. Here such a value is read as it is, so that kinerja.calc names it as "nilai tidak dapat
dihitung" where it is. Everything else is Django's backend unchanged. PostgreSQL needs no such
help: it refuses a value wider than its column when it is written.
"""

from __future__ import annotations

import decimal

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        strict = super().get_decimalfield_converter(expression)

        def converter(value, expression, connection):
            try:
                return strict(value, expression, connection)
            except decimal.InvalidOperation:
                return decimal.Decimal(repr(value) if isinstance(value, float) else str(value))

        return converter


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
