"""Uploaded files stop at ``JEUGDHULP_MAX_UPLOAD_BYTES`` while the request body is read.

Django writes an uploaded file to a temporary file before any view sees it. This handler, first
in ``FILE_UPLOAD_HANDLERS``, lets a file's bytes through until the limit; beyond it the file is
skipped (the rest of its bytes are read and dropped, never written), and the request keeps its
name in ``refused_uploads`` (field name -> file name) so the view can say why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class LimitedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.JEUGDHULP_MAX_UPLOAD_BYTES:
            refused = getattr(self.request, "refused_uploads", None)
            if refused is None:
                refused = self.request.refused_uploads = {}
            refused[self.field_name] = self.file_name
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def refused_upload(request, field: str) -> str | None:
    """The file name the handler refused for ``field`` in this request, if any."""
    return getattr(request, "refused_uploads", {}).get(field)
