"""Writing errspec spec files (format version 2) as plain YAML.

Every string is written either as a double-quoted scalar (with YAML escapes for characters a
reader could misread or lose) or as a literal block scalar (`|-`) when it spans several lines
and holds only characters that a literal block keeps exactly. No anchors, no aliases, no flow
collections deeper than one level.
"""

import re

# Characters written as escapes inside double quotes: C0/C1 controls, DEL, the line and paragraph
# separators, the byte-order mark and the bidirectional controls, so that the spec file shows them.
_ESCAPE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}


def quote(s: str) -> str:
    """A double-quoted YAML scalar holding exactly `s`."""
    s = s.replace("\\", "\\\\").replace('"', '\\"')

    def esc(m):
        c = m.group(0)
        if c in _SHORT:
            return _SHORT[c]
        o = ord(c)
        return "\\x%02x" % o if o < 0x100 else "\\u%04x" % o

    return '"' + _ESCAPE.sub(esc, s) + '"'


def _block_safe(s: str) -> bool:
    if "\n" not in s or s != s.strip():
        return False
    lines = s.split("\n")
    if lines[0].startswith((" ", "\t")):
        return False
    for line in lines:
        # Tabs are kept by a literal block but not as indentation, and a line of whitespace only
        # would be read back as an empty line; both are written quoted instead.
        if line != line.strip(" ") and not line.strip():
            return False
        if line.startswith("\t"):
            return False
        if _ESCAPE.search(line.replace("\t", "")):
            return False
    return True


def scalar(s, indent: int) -> str:
    """The text after `key: ` for the value `s`, at a mapping indented by `indent` spaces."""
    if isinstance(s, bool):
        return "true" if s else "false"
    if isinstance(s, int):
        return str(s)
    if isinstance(s, str) and _block_safe(s):
        pad = " " * (indent + 2)
        return "|-\n" + "\n".join(pad + line if line else "" for line in s.split("\n"))
    return quote(s)


def flow_list(items) -> str:
    return "[" + ", ".join(scalar(i, 0) if not isinstance(i, str) else quote(i) for i in items) + "]"


class Writer:
    def __init__(self):
        self.out = []

    def comment(self, text: str, indent: int = 0):
        for line in text.split("\n"):
            self.out.append((" " * indent + "# " + line).rstrip())

    def blank(self):
        self.out.append("")

    def line(self, text: str):
        self.out.append(text)

    def mapping(self, pairs, indent: int = 0, first_prefix: str = ""):
        """Write `pairs` (key, value) as a block mapping; `first_prefix` (such as `- `) goes
        before the first key. Values may be scalars, lists of scalars (flow) or nested pairs."""
        pad = " " * indent
        for n, (key, value) in enumerate(pairs):
            lead = pad[: len(pad) - len(first_prefix)] + first_prefix if n == 0 and first_prefix else pad
            if isinstance(value, list) and value and isinstance(value[0], tuple):
                self.out.append(f"{lead}{key}:")
                self.mapping(value, indent + 2)
            elif isinstance(value, list):
                self.out.append(f"{lead}{key}: {flow_list(value)}")
            else:
                self.out.append(f"{lead}{key}: {scalar(value, indent)}")

    def item(self, pairs, indent: int = 2):
        """One entry of a block sequence of mappings: `- key: value` at `indent - 2`."""
        self.mapping(pairs, indent, first_prefix="- ")

    def text(self) -> str:
        return "\n".join(self.out).rstrip("\n") + "\n"


def upper_camel(name: str) -> str:
    """UpperCamelCase of a snake_case or SCREAMING_SNAKE_CASE name, word by word."""
    words = [w for w in re.split(r"[_\-. ]+", name) if w]
    return "".join(w[0].upper() + w[1:].lower() for w in words)
