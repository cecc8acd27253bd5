from .api_tokens import ApiToken
from .collections import Collection
from .documents import Document
from .notifications import Notification
from .reflections import Reflection, ReflectionPart
from .schedules import Schedule
from .users import User

__all__ = [
    "ApiToken",
    "Collection",
    "Document",
    "Notification",
    "Reflection",
    "ReflectionPart",
    "Schedule",
    "User",
]
