from .collections import Collection
from .documents import Document
from .notifications import Notification
from .reflections import Reflection, ReflectionPart
from .users import User

__all__ = ["Collection", "Document", "Notification", "Reflection", "ReflectionPart", "User"]
