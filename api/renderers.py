"""JSON for the case documents, written by orjson.

A page of 500 documents is some 4 MB of JSON; the standard library's encoder took
longer to write it than PostgreSQL took to read its rows (issue 16). orjson writes
the same bytes (compact, UTF-8, ``\\u2028``/``\\u2029`` escaped as DRF does) several
times faster. Anything it cannot write (a ``Decimal``, a lazy string in an error)
goes to DRF's own encoder, so no answer changes. JSON text read as it is stored
(``StoredJSON``: a page's criteria entries) is written without being parsed.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from cases.document.plain import StoredJSON


def _stored(value):
    if isinstance(value, StoredJSON):
        return orjson.Fragment(value.text)
    raise TypeError


class _Encoder(JSONEncoder):
    def default(self, obj):
        if isinstance(obj, StoredJSON):
            return obj.parsed()
        return super().default(obj)


class FastJSONRenderer(JSONRenderer):
    encoder_class = _Encoder

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            text = orjson.dumps(data, default=_stored)
        except TypeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: these two are valid JSON but end a line in JavaScript.
        return text.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


class FhirJsonRenderer(FastJSONRenderer):
    """FHIR's own media type (the default of the FHIR endpoints); a client asking for application/json gets the
    same bytes under that type from the plain renderer beside it."""

    media_type = "application/fhir+json"
    format = "fhir"
