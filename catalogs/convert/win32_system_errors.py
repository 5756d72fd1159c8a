#!/usr/bin/env python3
"""MicrosoftDocs/win32 desktop-src/Debug/system-error-codes--*.md -> catalogs/spec/win32_system_errors.yaml.

Reads the ten "System Error Codes (N-M)" pages under sources/win32/ (and the overview page
system-error-codes.md for the API's description), writes one errspec spec (format version 2).
"""

import pathlib
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).parent))
import specyaml  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent.parent
SRC = HERE / "sources" / "win32"
OUT = HERE / "spec" / "win32_system_errors.yaml"

WIN32_COMMIT = "47e64c189dcb1c1a42c221380ccf0ec81cc82d4b"
PAGES_LAST_CHANGE = "3aee48ac3f48e187d17bdfd56951741737331749"
# Where learn.microsoft.com publishes desktop-src/Debug/<page>.md: the pages' own links
# ("/windows/win32/api/...") are relative to this site.
PUBLISHED = "https://learn.microsoft.com/en-us/windows/win32/debug/"

HEAD = re.compile(r'^((?:<span id="[^"]*"></span>)+)\*\*(.+?)\*\*[ \t]*$')
NUMBER = re.compile(r"^(\d+) \(0x([0-9A-Fa-f]+)\)[ \t]*$")
RANGE = re.compile(r"^(\d+) - (\d+) \(0x([0-9A-Fa-f]+)\)[ \t]*$")
ALSO_NAMED = re.compile(r"^This value was also named \*\*(.+?)\*\*$")


def unescape(md: str) -> str:
    """A Markdown-escaped name (`ERROR\\_SUCCESS`) as plain text."""
    return re.sub(r"\\(.)", r"\1", md)


def paragraphs(lines):
    """The entry's text as paragraphs: runs of lines between blank or whitespace-only lines,
    each run kept exactly as written."""
    paras, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line)
        elif cur:
            paras.append("\n".join(cur))
            cur = []
    if cur:
        paras.append("\n".join(cur))
    return paras


def parse_page(path: pathlib.Path):
    text = path.read_text(encoding="utf-8")
    body = text.split("\n## Requirements", 1)[0]
    title = re.search(r"^# (.+)$", body, re.M).group(1).strip()
    intro = re.search(r"^# .+\n\n(.+)$", body, re.M).group(1).strip()
    entries, skipped = [], []
    chunks = re.split(r"(?m)^(?=<span id=)", body)[1:]
    for chunk in chunks:
        lines = chunk.split("\n")
        h = HEAD.match(lines[0])
        if not h:
            raise SystemExit(f"{path.name}: unreadable entry head {lines[0]!r}")
        anchor = re.search(r'<span id="([^"]*)">', h.group(1)).group(1)
        name = unescape(h.group(2))
        rest = lines[1:]
        idx = next(i for i, l in enumerate(rest) if l.strip())
        num_line = rest[idx].strip()
        n = NUMBER.match(num_line)
        paras = paragraphs(rest[idx + 1 :])
        if not n:
            r = RANGE.match(num_line)
            if not r:
                raise SystemExit(f"{path.name}: {name}: no number line")
            skipped.append((name, num_line, " ".join(paras)))
            continue
        number = int(n.group(1))
        if number != int(n.group(2), 16):
            raise SystemExit(f"{name}: decimal {number} and hex 0x{n.group(2)} differ")
        if anchor != name:
            raise SystemExit(f"{name}: anchor {anchor!r} differs from the name")
        if not paras:
            raise SystemExit(f"{name}: no text")
        also = [unescape(m.group(1)) for p in paras for m in [ALSO_NAMED.match(p)] if m]
        entries.append(
            {
                "number": number,
                "name": name,
                "also": also,
                "paras": paras,
                "docs_url": PUBLISHED + path.stem + "#" + anchor,
            }
        )
    return {"stem": path.stem, "title": title, "intro": intro, "entries": entries, "skipped": skipped}


def main():
    pages = [parse_page(p) for p in SRC.glob("system-error-codes--*.md")]
    pages.sort(key=lambda p: int(re.match(r"system-error-codes--(\d+)", p["stem"]).group(1)))
    overview = (SRC / "system-error-codes.md").read_text(encoding="utf-8")
    description = re.search(r"^System error codes are defined in WinError\.h.*$", overview, re.M).group(0)

    entries = [e for p in pages for e in p["entries"]]
    numbers = [e["number"] for e in entries]
    if len(set(numbers)) != len(numbers):
        raise SystemExit("a number is listed twice")
    names = [n for e in entries for n in [e["name"], *e["also"]]]
    if len(set(names)) != len(names):
        raise SystemExit("a name is listed twice")
    variants = {}
    for e in entries:
        v = specyaml.upper_camel(e["name"])
        if v in variants:
            raise SystemExit(f"variant {v} of {e['name']} clashes with {variants[v]}")
        variants[v] = e["name"]
        e["variant"] = v

    # "The operation completed successfully." and the three codes whose text says the requested
    # operation is (or completed) successful are success codes.
    success = [
        e for e in entries
        if re.match(r"The (requested )?operation (completed|is) successful", e["paras"][0])
    ]

    w = specyaml.Writer()
    w.line("# yaml-language-server: $schema=../../spec/errspec.schema.json")
    w.comment(
        "Generated by catalogs/convert/win32_system_errors.py from the ten pages\n"
        "desktop-src/Debug/system-error-codes--*.md of MicrosoftDocs/win32 at\n"
        f"{WIN32_COMMIT} (last changed in {PAGES_LAST_CHANGE});\n"
        "documentation licensed CC BY 4.0. Do not edit: change the script.\n"
        "\n"
        "One code per entry: the number is the code, the ERROR_* name (and a name the entry says\n"
        "the value \"was also named\") an alias. The message is the entry's first paragraph, the\n"
        "description the paragraphs after it, both Markdown as the page writes them. One category\n"
        "per page. The pages state no HTTP status. docs_url is the entry's anchor on the published page.\n"
        "Success codes (their text says the operation completed successfully): "
        + ", ".join(f"{e['number']} {e['name']}" for e in success)
        + ".\n"
        "Entries that name a range of codes rather than one code are not transcribed:\n"
        + "\n".join(f"  {n}: {num} ({txt})" for p in pages for n, num, txt in p["skipped"])
    )
    w.line("version: 2")
    w.blank()
    w.line("api:")
    w.mapping(
        [
            ("id", "win32_system_errors"),
            ("name", "System Error Codes"),
            ("source", f"MicrosoftDocs/win32, desktop-src/Debug/system-error-codes--*.md (10 pages), commit {WIN32_COMMIT}"),
            ("url", PUBLISHED + "system-error-codes"),
            ("description", description),
            ("code_type", "integer"),
            ("text", "markdown"),
        ],
        indent=2,
    )
    w.blank()
    w.comment(
        "The pages document no JSON body: the codes are returned by GetLastError. This envelope is\n"
        "the transcriber's, for a service that reports a system error code in JSON, with the number\n"
        "or the ERROR_* name as `code` and the FormatMessage text as `message`."
    )
    w.line("envelopes:")
    w.item(
        [
            ("id", "system_error"),
            (
                "description",
                "Not documented by the source: a JSON object carrying a system error code (number or "
                "name) and its message text.",
            ),
            ("code", [("field", "code"), ("accepts", ["integer", "string"])]),
            ("message", "message"),
            ("example", '{"code": 2, "message": "The system cannot find the file specified."}'),
        ],
        indent=4,
    )
    w.blank()
    w.line("statuses: []")
    w.blank()
    w.line("categories:")
    for p in pages:
        w.item(
            [("id", "codes_" + p["stem"].removeprefix("system-error-codes--").strip("-").replace("-", "_")),
             ("title", p["title"]),
             ("description", p["intro"])],
            indent=4,
        )
    w.blank()
    w.line("codes:")
    for p in pages:
        cat = "codes_" + p["stem"].removeprefix("system-error-codes--").strip("-").replace("-", "_")
        for e in p["entries"]:
            pairs = [
                ("code", e["number"]),
                ("aliases", [e["name"], *e["also"]]),
                ("variant", e["variant"]),
            ]
            if e in success:
                pairs.append(("severity", "success"))
            pairs += [("category", cat), ("message", e["paras"][0])]
            if len(e["paras"]) > 1:
                pairs.append(("description", "\n\n".join(e["paras"][1:])))
            pairs.append(("docs_url", e["docs_url"]))
            w.item(pairs, indent=4)
    OUT.write_text(w.text(), encoding="utf-8")
    print(
        f"{OUT.relative_to(HERE.parent)}: {len(entries)} codes, {len(names)} aliases, "
        f"{len(pages)} categories, {len(success)} success codes, "
        f"{sum(len(p['skipped']) for p in pages)} range entries left out"
    )


if __name__ == "__main__":
    main()
