"""Fill msgstr of patents/locale/zh_Hans/LC_MESSAGES/django.po from translations_zh.py.

    cd patents && ln -s ../templates/patents _templates && \\
      ../.venv/bin/django-admin makemessages -l zh_Hans --symlinks; rm _templates
    ../.venv/bin/python locale/fill_po.py && ../.venv/bin/django-admin compilemessages -l zh_Hans
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from translations_zh import ZH

PO = Path(__file__).parent / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    out = [blocks[0]]
    missing = []
    for block in blocks[1:]:
        lines = block.splitlines()
        keep = [line for line in lines if line.startswith("#")]
        body = [line for line in lines if not line.startswith("#")]
        msgid, plural, current = [], [], None
        for line in body:
            if line.startswith("msgid_plural "):
                current = plural
                plural.append(line[13:])
            elif line.startswith("msgid "):
                current = msgid
                msgid.append(line[6:])
            elif line.startswith("msgstr"):
                current = None
            elif line.startswith('"') and current is not None:
                current.append(line)
        text = "".join(ast.literal_eval(part) for part in msgid)
        translation = ZH.get(text)
        if translation is None:
            missing.append(text)
            translation = ""
        keep = [line for line in keep if line != "#, fuzzy"]
        keep.append("msgid " + _quote(text))
        if plural:
            keep.append("msgid_plural " + _quote("".join(ast.literal_eval(p) for p in plural)))
            keep.append("msgstr[0] " + _quote(translation))
        else:
            keep.append("msgstr " + _quote(translation))
        out.append("\n".join(keep))
    header = out[0].replace(
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
    )
    header = header.replace("#, fuzzy\n", "")
    out[0] = header
    PO.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    if missing:
        sys.exit("untranslated: " + "; ".join(missing))


if __name__ == "__main__":
    main()
