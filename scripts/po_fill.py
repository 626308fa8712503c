#!/usr/bin/env python3
"""Fill empty msgstr entries of a gettext catalog from a tab-separated list "msgid<TAB>msgstr".

Usage: scripts/po_fill.py src/jeugdhulp/APP/locale/en/LC_MESSAGES/django.po < pairs.tsv
Lines of the list are read as Python string escapes (so "\\n" is a newline). Prints the msgids
that are still untranslated.
"""

import ast
import re
import sys
from pathlib import Path


def unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line.strip()) for line in lines)


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def main(path: str) -> int:
    pairs = {}
    for line in sys.stdin.read().splitlines():
        if "\t" in line:
            source, target = line.split("\t", 1)
            decode = lambda s: s.encode().decode("unicode_escape").encode("latin-1").decode()  # noqa: E731
            pairs[decode(source)] = decode(target)
    text = Path(path).read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    missing = []
    for i, block in enumerate(blocks):
        match = re.search(r'^msgid (".*?)^msgstr (".*)', block, flags=re.S | re.M)
        if not match or "msgid_plural" in block:
            continue
        msgid = unquote(match.group(1).strip().splitlines())
        msgstr = unquote(match.group(2).strip().splitlines())
        if not msgid or msgstr:
            continue
        if msgid in pairs:
            head = block[: match.start(2)]
            blocks[i] = head + quote(pairs[msgid])
            blocks[i] = blocks[i].replace("#, fuzzy\n", "")
        else:
            missing.append(msgid)
    Path(path).write_text("\n\n".join(blocks), encoding="utf-8")
    for msgid in missing:
        print("untranslated:", repr(msgid))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
