from .collections import Collection
from .documents import Document
from .users import User

__all__ = ["Collection", "Document", "User"]
