from django.apps import AppConfig


class ReflectConfig(AppConfig):
    name = "reflect"
    default_auto_field = "django.db.models.BigAutoField"
