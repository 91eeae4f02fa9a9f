"""Mending the defects real WordPress exports have, while the file streams into the parser.

Exports that WordPress.com, old plugins and hand edits produce are often not quite XML: a blank
line or a byte-order mark before `<?xml`, the `atom:` prefix used without being declared, a
stray control character (`\\x0b`) pasted into a post, an HTML entity (`&nbsp;`) or a bare `&`
outside CDATA, bytes that are not UTF-8. Each is mended here, line by line and in constant
memory, and noted with the first line it was found on and how many times; the parser then reads
what WordPress meant. Line numbers stay those of the file, so any error still names the right
line. What cannot be mended this way (a file cut off, tags that do not match, not WXR at all)
still stops the import, with the line.
"""

import html.entities
import re
from dataclasses import dataclass, field
from urllib.parse import quote

# Prefixes exports use, with the namespace each means. `wp` and `excerpt` default to WXR 1.2.
KNOWN_PREFIXES = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
    "georss": "http://www.georss.org/georss",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "googleplay": "http://www.google.com/schemas/play-podcasts/1.0",
}
# Characters XML 1.0 forbids anywhere, even in CDATA (tab, newline and return are allowed).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_REFERENCE = re.compile(
    rb"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|x0*(?:[0-8bcef]|1[0-9a-f]));", re.I
)
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_AMPERSAND = re.compile(rb"&(?:(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{0,31});)?")
_DECLARED = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
# An element's name with a prefix: <atom:link …>, </atom:link>.
_PREFIXED_NAME = re.compile(rb"(</?)([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)(?=[\s/>])")
_CDATA_OPEN, _CDATA_CLOSE = b"<![CDATA[", b"]]>"
# A whole CDATA section followed by a tag or the line's end; its text holds no ']]>'.
_WHOLE_CDATA = re.compile(rb"<!\[CDATA\[(?:(?!\]\]>).)*\]\]>(?=\s*<|\s*$)", re.S)
# Sections read as they are: CDATA and comments (an '&' in a comment is no defect).
_VERBATIM = ((b"<![CDATA[", b"]]>"), (b"<!--", b"-->"))
_NAMESPACE_VALUE = re.compile(rb"(xmlns(?::[\w.-]+)?\s*=\s*)([\"'])([^\"']*)\2")


@dataclass
class Repairs:
    """What was mended: kind -> (first line, how many)."""

    found: dict[str, list[int]] = field(default_factory=dict)

    def note(self, kind: str, line: int, count: int = 1) -> None:
        entry = self.found.setdefault(kind, [line, 0])
        entry[1] += count

    def sentences(self, path) -> list[str]:
        return [
            f"{path}: line {line}: {kind}" + (f" ({count} in all)" if count > 1 else "")
            for kind, (line, count) in sorted(self.found.items(), key=lambda k: k[1][0])
        ]


class RepairingReader:
    """A binary file-like object giving the bytes of `raw` with its defects mended."""

    def __init__(self, raw, repairs: Repairs, on_progress=None):
        self._raw = raw
        self._on_progress = on_progress
        self._repairs = repairs
        self._line = 0
        self._buffer = b""
        self._verbatim_end: bytes | None = None  # b"]]>" or b"-->" while inside one
        self._injected: set[bytes] = set()
        self._undeclared = re.compile(rb"</?[A-Za-z_][\w.-]*:")  # until the <rss> tag is read
        self._started = False
        self._declared: set[bytes] = set()
        self._root_pending = b""  # the <rss …> start tag, read until its '>'
        self._root_done = False
        self._utf8 = True
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        want = 1 << 16 if size is None or size < 0 else size
        while len(self._buffer) < want:
            line = self._raw.readline()
            if not line:
                if self._root_pending:
                    self._buffer += self._root_pending
                    self._root_pending = b""
                break
            self.done += len(line)
            self._line += 1
            if self._on_progress and self._line % 4096 == 0:
                self._on_progress(self.done)
            self._buffer += self._mend(line)
        data, self._buffer = self._buffer[:want], self._buffer[want:]
        if not data and self._on_progress:
            self._on_progress(self.done)
        return data

    def _mend(self, line: bytes) -> bytes:
        if not self._started:
            line = self._start(line)
            if not self._started:
                return b"\n" if line.endswith(b"\n") else b""
        if self._utf8:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                line = line.decode("utf-8", errors="replace").encode("utf-8")
                self._repairs.note("bytes that are not UTF-8 replaced by �", self._line)
        line, count = _CONTROL.subn(b"", line)
        if count:
            self._repairs.note("control characters XML forbids removed", self._line, count)
        if not self._root_done:
            # First, so the rest of a line that holds the whole file sees the declarations.
            line = self._root(line)
        elif self._plain(line):
            return line
        return self._outside_cdata(line)

    def _plain(self, line: bytes) -> bool:
        """True for a line with nothing to mend (most of them): the quick way through."""
        if self._verbatim_end is not None:
            return self._verbatim_end not in line
        if b"<!" in line:
            # Whole CDATA sections on the line (`<wp:x><![CDATA[…]]></wp:x>`) need nothing.
            line = _WHOLE_CDATA.sub(b"", line)
            if b"<!" in line or b"]]>" in line:
                return False
        if b"&" in line or b"xmlns" in line:
            return False
        return self._undeclared.search(line) is None

    def _start(self, line: bytes) -> bytes:
        """Drop a byte-order mark and blank lines before the first '<'; keep the line count by
        moving those newlines after the declaration."""
        stripped = line.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
        if not stripped:
            self._repairs.note("blank lines before the XML declaration removed", self._line)
            return b""
        if stripped != line:
            if line.startswith(b"\xef\xbb\xbf") and stripped == line[3:]:
                self._repairs.note("a byte-order mark before the XML declaration removed", 1)
            else:
                self._repairs.note("whitespace before the XML declaration removed", self._line)
        self._started = True
        match = re.match(rb"<\?xml[^>]*encoding=[\"']([\w.-]+)", stripped)
        if match and match.group(1).lower() not in (b"utf-8", b"utf8"):
            self._utf8 = False
        if self._line > 1:
            # The declaration must come first: the newlines that were before it go after it.
            end = stripped.find(b"?>") + 2 if stripped.startswith(b"<?xml") else 0
            return stripped[:end] + b"\n" * (self._line - 1) + stripped[end:]
        return stripped

    def _outside_cdata(self, line: bytes) -> bytes:
        """Mend references and names in the parts of `line` outside CDATA and comments."""
        out, position = [], 0
        while position < len(line):
            if self._verbatim_end is not None:
                end = line.find(self._verbatim_end, position)
                if end < 0:
                    out.append(line[position:])
                    break
                after = line[end + 3 :].lstrip()
                if self._verbatim_end == _CDATA_CLOSE and after and not after.startswith(b"<"):
                    # ']]>' inside the text (a post quoting CDATA): WordPress's own exporter
                    # writes it split in two sections; so do we.
                    self._repairs.note("a ']]>' inside a CDATA section split", self._line)
                    out.append(line[position:end] + b"]]]]><![CDATA[>")
                    position = end + 3
                    continue
                out.append(line[position : end + len(self._verbatim_end)])
                position, self._verbatim_end = end + len(self._verbatim_end), None
                continue
            found = [(line.find(o, position), o, c) for o, c in _VERBATIM]
            found = [f for f in found if f[0] >= 0]
            start, opener, closer = min(found) if found else (-1, b"", b"")
            stop = len(line) if start < 0 else start
            out.append(self._markup(line[position:stop]))
            if start < 0:
                break
            out.append(opener)
            position, self._verbatim_end = start + len(opener), closer
        return b"".join(out)

    def _markup(self, text: bytes) -> bytes:
        declared = set(_DECLARED.findall(text)) - self._declared
        if declared:
            self._declared |= declared
            self._watch()
        if b"xmlns" in text:
            text = _NAMESPACE_VALUE.sub(self._namespace_value, text)
        if b"&" in text:
            text = _BAD_REFERENCE.sub(self._forbidden_reference, text)
            text = _AMPERSAND.sub(self._reference, text)
        if b":" in text and self._root_done and self._undeclared.search(text):
            text = _PREFIXED_NAME.sub(self._prefixed, text)
        return text

    def _namespace_value(self, match: re.Match) -> bytes:
        value = match.group(3)
        if value.isascii():
            return match.group(0)
        self._repairs.note("a namespace address with non-ASCII letters percent-encoded", self._line)
        encoded = quote(value.decode("utf-8", "replace"), safe=":/?#[]@!$&'()*+,;=%~").encode()
        return match.group(1) + match.group(2) + encoded + match.group(2)

    def _watch(self) -> None:
        """The quick test's pattern: a prefixed element name whose prefix is not declared, or
        was declared by us (its first use is noted)."""
        quiet = sorted(re.escape(p) for p in self._declared - self._injected)
        names = b"|".join(quiet) or b"(?!)"
        self._undeclared = re.compile(rb"</?(?!(?:" + names + rb"):)[A-Za-z_][\w.-]*:")

    def _forbidden_reference(self, match: re.Match) -> bytes:
        self._repairs.note("references to control characters XML forbids removed", self._line)
        return b""

    def _reference(self, match: re.Match) -> bytes:
        name = match.group(1)
        if name is None:
            self._repairs.note("a bare '&' written as '&amp;'", self._line)
            return b"&amp;"
        if name.startswith(b"#") or name in _XML_ENTITIES:
            return match.group(0)
        code = html.entities.name2codepoint.get(name.decode("ascii"))
        self._repairs.note(
            "HTML entities (such as &nbsp;) that XML does not know replaced", self._line
        )
        return b"&#%d;" % code if code else b"&amp;" + name + b";"

    def _prefixed(self, match: re.Match) -> bytes:
        prefix = match.group(2)
        if prefix in self._injected:
            self._repairs.note(
                f"the prefix '{prefix.decode()}:' used without being declared; declared", self._line
            )
            self._injected.discard(prefix)
            self._watch()
            return match.group(0)
        if prefix in self._declared or prefix in (b"xml", b"xmlns"):
            return match.group(0)
        # An unknown prefix nobody declared: the name loses its prefix (we read no such element).
        self._repairs.note(f"the undeclared prefix '{prefix.decode()}:' dropped", self._line)
        return match.group(1) + match.group(3)

    def _root(self, line: bytes) -> bytes:
        """Declare, on the <rss> start tag, the known prefixes it does not declare itself."""
        if not self._root_pending:
            start = line.find(b"<rss")
            if start < 0:
                return line
            head, line = line[:start], line[start:]
        else:
            head = b""
        self._root_pending += line
        end = self._root_pending.find(b">")
        if end < 0:
            # Keep the line count: the newline comes out with the finished tag.
            return head
        tag, rest = self._root_pending[:end], self._root_pending[end:]
        self._root_pending, self._root_done = b"", True
        declared = set(_DECLARED.findall(tag))
        self._declared |= declared
        missing = [p for p in KNOWN_PREFIXES if p.encode() not in declared]
        added = b"".join(
            b' xmlns:%s="%s"' % (p.encode(), KNOWN_PREFIXES[p].encode()) for p in missing
        )
        self._declared |= {p.encode() for p in missing}
        self._injected = {p.encode() for p in missing}
        self._watch()
        # The lines held back come out together, newlines and all: the line count is kept.
        return head + tag + added + rest
