"""JSON bodies, refused (400) when they cannot be stored as text.

JSON may carry a lone surrogate ("\\ud800"), which is no character at all:
PostgreSQL cannot store it, so it is refused here, before any service sees it.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class TextJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            raise ParseError("JSON parse error - the body contains an escaped lone surrogate, which is not text.")
        return data
