"""Write a benchmark site: a content/ folder shaped like the real one, only much bigger.

    python bench/corpus.py --out /tmp/corpus [--essays 1000] [--seed 1]

Deterministic: the same seed and size give byte-identical files, so timings from different runs
and machines compare. By default: 1,000 essays of about 1,300 words of varied Markdown (headings,
lists, links, quotes, code) spread over ten years, 5 categories, 20 tags, 10 comments per essay in
threads, a few workshops and an editor's note for every month. Later benchmarks reuse the folder.
"""

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

FIRST_DAY = dt.date(2016, 7, 1)
LAST_DAY = dt.date(2026, 6, 30)  # ten years, all before any build date a test pins
WORDS_PER_ESSAY = 1300
COMMENTS_PER_ESSAY = 10
AUTHOR = "Miriam Okafor"
SITE_ZONE = ZoneInfo("America/Los_Angeles")

CATEGORIES = ["Leadership", "Teams", "Hiring", "Craft", "Strategy"]
TAGS = [
    "feedback", "meetings", "trust", "onboarding", "planning", "writing", "management",
    "coaching", "decisions", "culture", "remote work", "founders", "incentives", "slack",
    "rituals", "conflict", "growth", "focus", "delegation", "retrospectives",
]  # fmt: skip
READERS = [
    "Karl Ames", "Dana Whitfield", "Ilse Brandt", "Tomás Ferreira", "Priya Raman", "Jonah Beck",
    "Ama Mensah", "Lucía Ortega", "Sven Halvorsen", "Mei Tanaka", "Owen Pryce", "Farah Qureshi",
]  # fmt: skip
CITIES = [
    ("Seattle", "Pioneer Hall", "1201 Western Ave, Seattle, WA 98101", "America/Los_Angeles"),
    ("Chicago", "The Lantern Room", "410 N Wells St, Chicago, IL 60654", "America/Chicago"),
    ("Toronto", "Foundry Loft", "55 Mill St, Toronto, ON M5A 3C4", "America/Toronto"),
]

SUBJECTS = [
    "team", "manager", "founder", "meeting", "plan", "review", "decision", "habit", "question",
    "promise", "hire", "budget", "roadmap", "retrospective", "handoff", "deadline", "draft",
    "conversation", "experiment", "standard", "ritual", "apprentice", "workshop", "quarter",
]  # fmt: skip
VERBS = [
    "shapes", "reveals", "protects", "tests", "earns", "borrows", "spends", "repairs", "outlives",
    "measures", "softens", "sharpens", "rewards", "hides", "carries", "invites", "postpones",
]  # fmt: skip
OBJECTS = [
    "trust", "attention", "the next hire", "a shared vocabulary", "the quiet work", "momentum",
    "the room's patience", "everyone's calendar", "the long view", "a small margin", "candour",
    "the unspoken rule", "the first draft", "a clear no", "the handover", "ownership",
]  # fmt: skip
CLAUSES = [
    "long after the meeting ends", "when nobody is keeping score", "more than any slide deck",
    "in the second year rather than the first", "once the deadline has passed",
    "because people remember how it felt", "even when the numbers look fine",
    "before anyone writes it down", "in ways the org chart never shows",
    "whether or not we admit it", "one conversation at a time",
]  # fmt: skip
OPENERS = [
    "In practice,", "Most weeks,", "Oddly enough,", "Over time,", "Put plainly,", "For a while,",
    "Every so often,", "In my experience,", "Early on,", "Sooner or later,",
]  # fmt: skip
HEADINGS = [
    "What the calendar hides", "The cost nobody budgets", "A small experiment", "Where it breaks",
    "What I do now", "The second-order effect", "Reading the room", "An objection, answered",
    "How to start on Monday", "The part that takes years", "Signals worth watching",
]  # fmt: skip
# (language, lines): fenced with their language, as an author writing about code would.
CODE_SNIPPETS = [
    ("python", ["def weekly_review(notes):",
                "    open_items = [n for n in notes if not n.done]",
                "    return sorted(open_items, key=lambda n: n.age, reverse=True)"]),
    ("text", ["# a meeting agenda that fits on a card", "1. What changed since last week?",
              "2. What is blocked, and by whom?", "3. What will we stop doing?"]),
    ("sql", ["SELECT owner, count(*) AS open_decisions", "FROM decisions",
             "WHERE decided_at IS NULL", "GROUP BY owner ORDER BY open_decisions DESC;"]),
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    words = [rng.choice(OPENERS), "the", rng.choice(SUBJECTS), rng.choice(VERBS)]
    words += [rng.choice(OBJECTS), rng.choice(CLAUSES)]
    return " ".join(words) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def words_in(text: str) -> int:
    return len(text.split())


def essay_body(rng: random.Random, earlier: list[str]) -> str:
    """About WORDS_PER_ESSAY words of Markdown mixing the constructs essays really use."""
    blocks: list[str] = [paragraph(rng, 5)]
    count = words_in(blocks[0])
    while count < WORDS_PER_ESSAY:
        kind = rng.choice(["para", "para", "para", "heading", "list", "quote", "link", "code"])
        if kind == "heading":
            block = f"## {rng.choice(HEADINGS)}\n\n{paragraph(rng, 3)}"
        elif kind == "list":
            marker = rng.choice(["-", "1."])
            block = "\n".join(f"{marker} {sentence(rng)}" for _ in range(rng.randint(3, 5)))
        elif kind == "quote":
            block = f"> {paragraph(rng, 2)}\n>\n> — {rng.choice(READERS)}"
        elif kind == "link" and earlier:
            other = rng.choice(earlier)
            block = (
                f"{sentence(rng)} I wrote about this [in an earlier essay]({{filename}}/{other}) "
                f"and in [a note elsewhere](https://example.org/notes/{rng.randint(1, 999)}). "
                f"{sentence(rng)}"
            )
        elif kind == "code":
            language, lines = rng.choice(CODE_SNIPPETS)
            block = f"```{language}\n" + "\n".join(lines) + "\n```"
        else:
            block = paragraph(rng, rng.randint(3, 6))
        blocks.append(block)
        count += words_in(block)
    return "\n\n".join(blocks) + "\n"


def essay_dates(rng: random.Random, count: int) -> list[dt.datetime]:
    span = (LAST_DAY - FIRST_DAY).days
    days = sorted(rng.randrange(span + 1) for _ in range(count))
    return [
        dt.datetime.combine(FIRST_DAY + dt.timedelta(days=d), dt.time(rng.randint(6, 20), 0))
        for d in days
    ]


def write_essays(rng: random.Random, content: Path, count: int) -> list[tuple[str, dt.datetime]]:
    written: list[tuple[str, dt.datetime]] = []
    earlier_paths: list[str] = []
    for number, date in enumerate(essay_dates(rng, count), start=1):
        title = f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        slug = f"essay-{number:05d}"
        tags = rng.sample(TAGS, rng.randint(1, 4))
        lines = [
            f"Title: {title}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Category: {rng.choice(CATEGORIES)}",
            f"Tags: {', '.join(tags)}",
            f"Slug: {slug}",
            f"Summary: {sentence(rng)}",
        ]
        if rng.random() < 0.1:
            lines.append(f"Modified: {date + dt.timedelta(days=rng.randint(1, 60)):%Y-%m-%d %H:%M}")
        relative = f"essays/{date:%Y}/{slug}.md"
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        body = essay_body(rng, earlier_paths[-50:])
        path.write_text("\n".join(lines) + "\n\n" + body, "utf-8")
        earlier_paths.append(relative)
        written.append((slug, date))
    return written


def write_comments(rng: random.Random, content: Path, slug: str, published: dt.datetime) -> None:
    """A thread of COMMENTS_PER_ESSAY: some replies, some answered by the author."""
    folder = content / "comments" / slug
    folder.mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    moment = published
    for _ in range(COMMENTS_PER_ESSAY):
        moment += dt.timedelta(minutes=rng.randint(20, 3000))
        comment_id = f"{moment:%Y%m%d-%H%M}-{rng.randrange(36**4):04x}"[:18]
        by_author = bool(ids) and rng.random() < 0.2
        lines = [
            f"Id: {comment_id}",
            f"Author: {AUTHOR if by_author else rng.choice(READERS)}",
            f"Date: {moment.replace(tzinfo=SITE_ZONE).isoformat()}",
        ]
        if ids and (by_author or rng.random() < 0.4):
            lines.append(f"Reply-To: {rng.choice(ids)}")
        if not by_author and rng.random() < 0.3:
            lines.append(f"Url: https://example.org/~reader{rng.randint(1, 99)}")
        if by_author:
            lines.append("Role: author")
        body = paragraph(rng, rng.randint(2, 4))
        (folder / f"{comment_id}.md").write_text("\n".join(lines) + "\n\n" + body + "\n", "utf-8")
        ids.append(comment_id)


def write_workshops(rng: random.Random, content: Path) -> None:
    """Two past workshops and two upcoming ones (after the corpus's last essay)."""
    folder = content / "workshops"
    folder.mkdir(parents=True, exist_ok=True)
    starts = [dt.date(2019, 5, 14), dt.date(2023, 10, 3), dt.date(2027, 5, 13), dt.date(2027, 9, 9)]
    for number, start in enumerate(starts, start=1):
        city, venue, address, zone = CITIES[number % len(CITIES)]
        slug = f"workshop-{start:%Y-%m}-{city.lower()}"
        lines = [
            f"Title: Leading the work that makes things, {city}",
            f"Start: {start:%Y-%m-%d} 09:00",
            f"End: {start + dt.timedelta(days=1):%Y-%m-%d} 17:00",
            f"Timezone: {zone}",
            f"City: {city}",
            f"Venue: {venue}",
            f"Address: {address}",
            f"Price: {rng.choice([450, 500, 650])} USD",
            f"Seats: {rng.choice([10, 12, 16])}",
            "Registration: open",
            f"Summary: {sentence(rng)}",
        ]
        body = "\n\n".join(paragraph(rng, 4) for _ in range(3))
        (folder / f"{slug}.md").write_text("\n".join(lines) + "\n\n" + body + "\n", "utf-8")


def write_newsletter_notes(rng: random.Random, content: Path) -> None:
    folder = content / "newsletters"
    folder.mkdir(parents=True, exist_ok=True)
    month = FIRST_DAY.replace(day=1)
    while month <= LAST_DAY:
        lines = [
            f"Subject: {month:%B %Y}: {rng.choice(HEADINGS).lower()}",
            f"Preheader: {sentence(rng)}",
        ]
        body = "\n\n".join(paragraph(rng, 3) for _ in range(2))
        (folder / f"{month:%Y-%m}.md").write_text("\n".join(lines) + "\n\n" + body + "\n", "utf-8")
        month = (month + dt.timedelta(days=32)).replace(day=1)


def write_pages(content: Path) -> None:
    folder = content / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "about.md").write_text(
        "Title: About\nSlug: about\n\nA benchmark site: every word here was generated.\n", "utf-8"
    )


def generate(out: Path, essays: int = 1000, seed: int = 1) -> Path:
    """Write the corpus into OUT/ (replacing it); return OUT."""
    if essays < 1:
        raise ValueError(f"--essays must be at least 1, not {essays}.")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(seed)
    written = write_essays(rng, out, essays)
    for slug, published in written:
        write_comments(rng, out, slug, published)
    write_workshops(rng, out)
    write_newsletter_notes(rng, out)
    write_pages(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write (replaced)")
    parser.add_argument("--essays", type=int, default=1000, help="number of essays (1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    args = parser.parse_args(argv)
    try:
        generate(args.out, args.essays, args.seed)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Wrote {args.essays} essays and their comments, workshops and notes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
