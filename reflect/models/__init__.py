from .api_tokens import ApiToken
from .collections import Collection
from .deliveries import Delivery
from .documents import Document
from .idempotency_keys import IdempotencyKey
from .inbox_failures import InboxFailure
from .invitations import Invitation
from .notifications import Notification
from .reflections import Reflection, ReflectionPart
from .schedules import Schedule
from .unsent_messages import UnsentMessage
from .users import User

__all__ = [
    "ApiToken",
    "Collection",
    "Delivery",
    "Document",
    "IdempotencyKey",
    "InboxFailure",
    "Invitation",
    "Notification",
    "Reflection",
    "ReflectionPart",
    "Schedule",
    "UnsentMessage",
    "User",
]
