"""Request parsers of the API: malformed bodies are a 400 with a body, never a 500.

Python's ``json`` recurses once per nesting level: ``[[[[...]]]]`` some thousand
levels deep raised ``RecursionError`` inside DRF's parser, a 500 on every API
endpoint that accepts a body. Bodies nested deeper than ``MAX_DEPTH`` are
refused before parsing (the scan is linear and iterative).
"""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64


def json_depth_exceeds(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth_exceeds(raw):
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        import io

        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as error:  # belt and braces
            raise ParseError("JSON nested too deeply.") from error
