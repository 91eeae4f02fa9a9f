"""Which essays, workshops and conversations go into which month's issue."""

import datetime as dt

from newsletter_helpers import SITE_NAME, TIMEZONE, TODAY, comment, essay, workshop

from letterpress.newsletter import Month, Sources, parse_note, select_issue, select_issues
from letterpress.text import reading_minutes


def issues_of(sources, TODAY):
    return select_issues(sources, today=TODAY, timezone=TIMEZONE, site_name=SITE_NAME)


def months_listing(issues, slug):
    return [str(i.month) for i in issues if slug in [e.slug for e in i.essays]]


def note(month: str, text: str = "Subject: S\nPreheader: P\n\nThe note."):
    return parse_note(text, f"content/newsletters/{month}.md")


def test_an_essay_appears_in_its_own_months_issue_and_no_other():
    essays = [essay("in-september", "2026-09-14"), essay("in-october", "2026-10-06")]
    issues = issues_of(Sources(essays=essays), TODAY)
    assert [str(i.month) for i in issues] == ["2026-09", "2026-10"]
    assert months_listing(issues, "in-september") == ["2026-09"]
    assert months_listing(issues, "in-october") == ["2026-10"]


def test_the_month_is_taken_in_the_sites_time_zone():
    # 20:00 on October 31 in Los Angeles is already November in UTC.
    late = essay("halloween-night", "2026-10-31")
    late = type(late)(**{**late.__dict__, "date": late.date.replace(hour=20)})
    issues = issues_of(Sources(essays=[late]), TODAY)
    assert months_listing(issues, "halloween-night") == ["2026-10"]


def test_drafts_and_future_essays_are_in_no_issue():
    essays = [
        essay("published", "2026-11-03"),
        essay("a-draft", "2026-11-10", status="draft"),
        essay("later-this-month", "2026-11-28"),
        essay("scheduled", "2026-12-08"),
    ]
    issues = issues_of(Sources(essays=essays), TODAY)
    assert [str(i.month) for i in issues] == ["2026-11"]
    for slug in ("a-draft", "later-this-month", "scheduled"):
        assert months_listing(issues, slug) == []
    # The scheduled essay shows up once the build date reaches it, in its own month.
    later = issues_of(Sources(essays=essays), dt.date(2026, 12, 9))
    assert months_listing(later, "scheduled") == ["2026-12"]
    assert months_listing(later, "a-draft") == []


def test_a_month_with_only_a_note_has_an_issue_and_a_future_note_waits():
    sources = Sources(notes=[note("2026-08"), note("2027-01")])
    assert [str(i.month) for i in issues_of(sources, TODAY)] == ["2026-08"]


def test_the_note_gives_subject_preheader_and_body():
    sources = Sources(
        essays=[essay("hiring", "2026-11-03")],
        notes=[note("2026-11", "Subject: Hello there\nPreheader: Two things\n\nDear *reader*.")],
    )
    issue = select_issue(
        Month(2026, 11), sources, today=TODAY, timezone=TIMEZONE, site_name=SITE_NAME
    )
    assert (issue.subject, issue.preheader) == ("Hello there", "Two things")
    assert "<em>reader</em>" in issue.note_html


def test_without_a_note_subject_and_preheader_have_defaults():
    essays = [essay("first-one", "2026-10-06"), essay("second-one", "2026-10-20")]
    sources = Sources(essays=essays, workshops=[workshop("the-arc", "2027-05-14", "2027-05-15")])
    (issue,) = issues_of(sources, TODAY)
    assert issue.subject == "October 2026: First one, and one more essay"
    assert issue.preheader == "Two new essays and one workshop open for registration."
    assert not issue.has_note


def test_essay_items_carry_date_summary_reading_time_and_link():
    (issue,) = issues_of(Sources(essays=[essay("hiring", "2026-11-03", words=700)]), TODAY)
    (item,) = issue.essays
    assert item.date == dt.date(2026, 11, 3)
    assert item.summary == "What hiring argues, in a sentence."
    assert item.minutes == reading_minutes("<p>" + "word " * 700 + "</p>") == 4
    assert item.url == "essays/2026/11/hiring/"


def test_a_workshop_is_in_the_issues_before_it_starts_and_not_after():
    essays = [essay(f"essay-{m}", f"2026-{m:02d}-10") for m in (8, 9, 10, 11)]
    sources = Sources(essays=essays, workshops=[workshop("autumn", "2026-10-15", "2026-10-16")])
    listed = {str(i.month): [w.slug for w in i.workshops] for i in issues_of(sources, TODAY)}
    assert listed == {
        "2026-08": ["autumn"],
        "2026-09": ["autumn"],
        "2026-10": [],
        "2026-11": [],
    }


def test_a_closed_workshop_is_left_out_and_a_waiting_list_is_marked():
    sources = Sources(
        essays=[essay("one", "2026-11-03")],
        workshops=[
            workshop("closed-one", "2027-03-01", "2027-03-02", registration="closed"),
            workshop("full-one", "2027-04-01", "2027-04-02", registration="waitlist"),
        ],
    )
    (issue,) = issues_of(sources, TODAY)
    assert [(w.slug, w.state) for w in issue.workshops] == [("full-one", "waitlist")]
    assert issue.workshops[0].when == "April 1–2, 2027"
    assert issue.workshops[0].price == "$500 USD"


def test_from_the_comments_ranks_the_months_liveliest_threads():
    essays = [essay("quiet", "2026-09-14"), essay("busy", "2026-10-06"), essay("d", "2026-10-07")]
    essays.append(essay("hidden", "2026-10-08", status="draft"))
    reply = "Thank you. " + "The *receipt* is the point. " * 20
    comments = [
        comment("busy", "2026-11-02", "Ana Ruiz"),
        comment("busy", "2026-11-03", "Karl Ames"),
        comment("busy", "2026-11-04", "Miriam Okafor", role="author", body=reply, id="r1"),
        comment("quiet", "2026-11-05", "Lee Park"),
        comment("quiet", "2026-10-30", "Lee Park"),  # last month
        comment("hidden", "2026-11-05", "Bo Chen"),  # on a draft
        comment("hidden", "2026-11-06", "Bo Chen"),
        comment("d", "2026-11-27", "Late Comer"),  # after the build date
    ]
    issue = select_issue(
        Month(2026, 11),
        Sources(essays=essays, comments=comments),
        today=TODAY,
        timezone=TIMEZONE,
        site_name=SITE_NAME,
    )
    assert [(t.essay_url, t.comments, t.people) for t in issue.threads] == [
        ("essays/2026/10/busy/", 3, 3),
        ("essays/2026/09/quiet/", 1, 1),
    ]
    busy, quiet = issue.threads
    assert busy.reply_author == "Miriam Okafor"
    assert busy.reply_url == "essays/2026/10/busy/#comment-r1"
    assert busy.reply_excerpt.startswith("Thank you. The receipt is the point.")
    assert len(busy.reply_excerpt.split()) <= 45
    assert quiet.reply_excerpt == ""
