"""Reading uploads off the wire: a file over the size limit is dropped while it streams in.

Django's own handlers keep a whole file in memory or in a temporary file before a view can look
at its size, so a 2 GB upload would fill the disk first. This handler, first in
FILE_UPLOAD_HANDLERS, counts each file's bytes as they arrive and skips the rest of a file once
it passes REFLECT_MAX_UPLOAD_BYTES; the parser then discards that file's remaining bytes without
storing them and goes on with the next file of the same request.
"""

from types import MethodType

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser

# Stands for a file whose name Django's parser would reduce to nothing ("..", "/"): such a
# file used to vanish from the request; now it reaches the view and is refused by name.
UNNAMED = "(no usable name)"


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = start + len(raw_data)
        if self.received > settings.REFLECT_MAX_UPLOAD_BYTES:
            refused = getattr(self.request, "refused_uploads", [])
            refused.append(self.file_name or "untitled")
            self.request.refused_uploads = refused
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The next handlers build the file object.
        return None


def refused_uploads(request: HttpRequest) -> list[str]:
    """Names of the files of this request dropped for being over the size limit."""
    _ = request.FILES  # reading it parses the body, if nothing has yet
    return list(getattr(request, "refused_uploads", []))


def too_large_message() -> str:
    limit = settings.REFLECT_MAX_UPLOAD_BYTES / 1e6
    return f"file too large: more than {limit:.0f} MB (the limit is {limit:.0f} MB)"


class _NamingParser(MultiPartParser):
    def sanitize_file_name(self, file_name: str) -> str:
        return super().sanitize_file_name(file_name) or UNNAMED


def _parse_file_upload(request: HttpRequest, META, post_data):
    request.upload_handlers = list(request.upload_handlers)
    return _NamingParser(
        META, post_data, request.upload_handlers, request.encoding
    ).parse()


class NamedUploadsMiddleware:
    """Every file part of an upload reaches the view, even one named ".." (see UNNAMED)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.parse_file_upload = MethodType(_parse_file_upload, request)
        return self.get_response(request)
