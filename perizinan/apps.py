from django.apps import AppConfig


class PerizinanConfig(AppConfig):
    name = "perizinan"
    default_auto_field = "django.db.models.BigAutoField"
