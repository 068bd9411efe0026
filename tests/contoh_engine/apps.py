from django.apps import AppConfig


class ContohEngineConfig(AppConfig):
    """Test-only models exercising the engine's API for records with several runs (ADR 0009).
    Installed only while pytest runs (config/settings.py), created without migrations."""

    name = "tests.contoh_engine"
    label = "contoh_engine"
    default_auto_field = "django.db.models.BigAutoField"
