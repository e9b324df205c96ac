"""The benchmark harness of ``make bench`` (see README.md here). Not part of the registry."""
