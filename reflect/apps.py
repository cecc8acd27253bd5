from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ReflectConfig(AppConfig):
    name = "reflect"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Checked here, not in settings.py: the effort levels live on the model, which
        # cannot be imported before the apps are loaded.
        from .models import Reflection

        if settings.REFLECT_EFFORT not in Reflection.Effort.values:
            raise ImproperlyConfigured(
                f"REFLECT_EFFORT must be one of {', '.join(Reflection.Effort.values)}, "
                f"got {settings.REFLECT_EFFORT!r}"
            )
