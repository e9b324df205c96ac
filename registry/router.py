"""Django's database router for the read replicas (``DATABASE_REPLICA_URLS``).

Every write goes to the primary. Reads go to the replica the request chose
(``registry.db``), except the rows that decide who may do what: sessions,
accounts and groups, API tokens and the login lockout are read from the primary,
so that a new login is found at once and a new password, a revoked token or a
lockout takes effect on every worker without waiting for the replica to replay it.
"""

from django.db import DEFAULT_DB_ALIAS

from registry.db import replica_for_reads

ACCESS_APPS = {"auth", "sessions", "axes"}
ACCESS_MODELS = {"api.ApiToken"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model is not None and (model._meta.app_label in ACCESS_APPS or model._meta.label in ACCESS_MODELS):
            return DEFAULT_DB_ALIAS
        return replica_for_reads() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows, byte for byte: an object read there is the same row.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
