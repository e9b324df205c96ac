from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Calcinosis cases"

    def ready(self):
        from cases import lookups  # noqa: F401  (registers field__any)
