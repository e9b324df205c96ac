"""The export files (``cases.csv``, ``tables.zip``), written by PostgreSQL and streamed."""

from cases.exports.files import deidentifies, stream_cases_csv, stream_tables_zip

__all__ = ["deidentifies", "stream_cases_csv", "stream_tables_zip"]
