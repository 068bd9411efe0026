from django.apps import AppConfig


class BpumConfig(AppConfig):
    name = "bpum"
    default_auto_field = "django.db.models.BigAutoField"
