"""The frames the worker and the Parquet writing process (``cases.exports.arrow``) exchange through pipes.

A frame is its kind (one byte), its length (4 bytes, big-endian) and that many bytes. Only the standard
library here: the writing process imports this module by its file's directory, without Django.
"""

import struct

HEADER = struct.Struct(">cI")


def read_frame(stream) -> tuple[bytes, bytes] | None:
    """The next frame of ``stream``, or None where it ends."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    kind, length = HEADER.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError("the stream ended inside a frame")
    return kind, data


def write_frame(stream, kind: bytes, data: bytes = b"") -> None:
    stream.write(HEADER.pack(kind, len(data)))
    stream.write(data)
