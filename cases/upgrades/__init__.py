"""Data steps of migrations that are too long to read inside the migration file (they use historical models)."""
