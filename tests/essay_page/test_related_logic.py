"""Related essays chosen from tags, category and words (letterpress.related, no Pelican)."""

import datetime as dt

from letterpress.related import Essay, related, words

DAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def essay(key, tags=(), category="", text="", days=0):
    return Essay(key, DAY + dt.timedelta(days), tuple(tags), category, text)


def test_essays_sharing_a_rare_tag_rank_above_those_sharing_a_common_category():
    essays = [
        essay("hiring-one", ["hiring", "founders"], "Leadership"),
        essay("hiring-two", ["hiring"], "Practice"),
        *(essay(f"other-{i}", ["teams"], "Leadership", days=i) for i in range(6)),
        essay("rest", ["rest"], "Practice"),
    ]
    assert related(essays)["hiring-one"][0] == "hiring-two"


def test_words_of_the_title_and_summary_count_too():
    essays = [
        essay("a", text="The meeting after the meeting: <em>corridors</em> decide"),
        essay("b", text="Corridors and the decisions made in them"),
        essay("c", text="Budgets for attention"),
        essay("d", text="Hiring slowly"),
    ]
    assert related(essays, count=1)["a"] == ["b"]


def test_each_essay_gets_three_others_never_itself():
    essays = [essay(f"e{i}", ["teams"], days=i) for i in range(6)]
    chosen = related(essays)
    assert all(len(others) == 3 and key not in others for key, others in chosen.items())


def test_essays_sharing_nothing_are_filled_in_nearest_in_date():
    essays = [essay("a", days=0), essay("b", days=100), essay("c", days=3), essay("d", days=10)]
    assert related(essays)["a"] == ["c", "d", "b"]


def test_the_choice_does_not_depend_on_the_order_of_the_input():
    essays = [essay(f"e{i}", ["teams", f"t{i % 3}"], ["A", "B"][i % 2], days=i) for i in range(9)]
    assert related(essays) == related(list(reversed(essays)))


def test_a_small_site_asks_for_what_it_has():
    assert related([essay("only")]) == {"only": []}
    assert related([essay("a"), essay("b")]) == {"a": ["b"], "b": ["a"]}


def test_words_drop_markup_stopwords_short_words_and_plurals():
    assert words("<p>The teams&rsquo; meetings were about <b>trust</b></p>") == {
        "team",
        "meeting",
        "trust",
    }
