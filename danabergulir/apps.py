from django.apps import AppConfig


class DanabergulirConfig(AppConfig):
    name = "danabergulir"
    default_auto_field = "django.db.models.BigAutoField"
