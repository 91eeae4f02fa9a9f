"""Write the sample workshop brochure, content/files/the-arc-brochure.pdf.

A one-page PDF 1.4 with the standard Helvetica fonts, written by hand so the repository needs no
PDF library. Run it again only to change the brochure: `python tools/make_brochure.py`.
"""

import sys
from pathlib import Path

DESTINATION = Path(__file__).resolve().parents[1] / "content" / "files" / "the-arc-brochure.pdf"

# (font, size, text) lines from the top of the page; font F1 is Helvetica-Bold, F2 Helvetica.
LINES = [
    ("F1", 26, "The Arc"),
    ("F2", 13, "A two-day workshop for leaders of small teams"),
    ("F2", 11, ""),
    ("F1", 12, "Seattle, May 14-15, 2027  -  9:00 am to 5:00 pm both days"),
    ("F2", 11, "The Loft at Pioneer Works, 311 Occidental Avenue South, Seattle, WA 98104"),
    ("F2", 11, "$500 USD per seat  -  twelve seats, so everyone is heard"),
    ("F2", 11, ""),
    ("F1", 13, "What the two days are for"),
    ("F2", 11, "Most leadership training teaches you to win arguments. The Arc is about the"),
    ("F2", 11, "longer shape of the work: how a team moves from a first idea to something it"),
    ("F2", 11, "is proud of, and what the person leading it owes the team at each bend."),
    ("F2", 11, ""),
    ("F1", 13, "Day one: the rising side"),
    ("F2", 11, "Setting a direction people can argue with. Making room for dissent early,"),
    ("F2", 11, "while it is cheap. Budgets of attention, and who spends yours."),
    ("F2", 11, ""),
    ("F1", 13, "Day two: the falling side"),
    ("F2", 11, "Finishing well. Feedback with a receipt. Handing work over without handing"),
    ("F2", 11, "it off. A plan for your own next ninety days, reviewed by the group."),
    ("F2", 11, ""),
    ("F1", 13, "Who it is for"),
    ("F2", 11, "Leads and managers of teams of three to fifteen people, new or seasoned."),
    ("F2", 11, "Bring one real problem from your own work; we will use it."),
    ("F2", 11, ""),
    ("F2", 11, "Lunch and coffee are included. Questions: miriam@letterpress.example"),
]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_stream() -> bytes:
    commands = ["BT", "72 740 Td"]
    for font, size, text in LINES:
        commands.append(f"/{font} {size} Tf")
        commands.append(f"0 -{size + 8} Td")
        if text:
            commands.append(f"({_escape(text)}) Tj")
    commands.append("ET")
    return "\n".join(commands).encode("latin-1")


def pdf_bytes() -> bytes:
    stream = page_stream()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (The Arc: a two-day workshop) /Author (Miriam Okafor) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def main() -> int:
    DESTINATION.parent.mkdir(parents=True, exist_ok=True)
    DESTINATION.write_bytes(pdf_bytes())
    print(f"Wrote {DESTINATION} ({DESTINATION.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
