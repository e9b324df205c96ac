"""The upload of a file to import: streamed to a temporary file, and stopped past IMPORT_MAX_UPLOAD_BYTES.

Django keeps an upload under FILE_UPLOAD_MAX_MEMORY_SIZE in memory and the rest on disk; an import is
always written to disk (a tables.zip of thousands of cases is megabytes), and a body larger than the limit
is refused from its Content-Length before it is read, or as soon as more than the limit has arrived.
"""

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict


def too_large_message() -> str:
    megabytes = settings.IMPORT_MAX_UPLOAD_BYTES / 1_000_000
    return f"The file is larger than the import limit of {megabytes:g} MB: split it into smaller files."


class LimitedUpload(TemporaryFileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def _refuse(self):
        self.request.import_upload_too_large = True

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.IMPORT_MAX_UPLOAD_BYTES:
            self._refuse()
            return QueryDict(), MultiValueDict()  # nothing read: the whole request is refused
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            self._refuse()
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def limit_uploads(request) -> None:
    """Before the body is read (a view's first line, or DRF's initialize_request)."""
    request.import_upload_too_large = False
    request.upload_handlers = [LimitedUpload(request)]
