"""The public part of a report: its first paragraph, exactly as the Markdown parser the app renders with reads it.

Every surface that shows a subscriber report to someone who may not read it whole (the report page, the API,
the Atom feed, the home page, search) takes the text from ``first_paragraph`` through ``Report.lede``; nothing
else decides where the public part ends.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

__all__ = ["MARKDOWN", "first_paragraph"]

# The one Markdown parser of the app: CommonMark, raw HTML off (rendering uses it too, see reports/render.py).
MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})
# markdown-it's own line breaks (CR LF, CR, LF): str.splitlines would also split on U+2028, FF, NEL, ...
_NEWLINES = re.compile(r"\r\n?|\n")


def first_paragraph(markdown: str) -> str:
    """The source lines of the first top-level paragraph of a Markdown text ('' when it has none).

    Headings, rules, lists, quotes, code, tables and link definitions are never part of it, and a paragraph
    ends where the parser ends it (a line of spaces, a heading, a list, a fence, ...), not at a blank line.
    Re-parsed alone, the lines give that one paragraph again (references defined elsewhere stay unresolved).
    """
    source = _NEWLINES.sub("\n", markdown).replace("\0", "\ufffd")
    for token in MARKDOWN.parse(source):
        if token.type == "paragraph_open" and token.level == 0 and token.map is not None:
            start, end = token.map
            return "\n".join(source.split("\n")[start:end]).strip()
    return ""
