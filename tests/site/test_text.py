"""Reading time: the words a reader sees, never the markup around them."""

from letterpress.text import reading_minutes, word_count


def test_tags_and_attributes_are_not_words():
    html = '<p class="lead">Two <a href="https://example.org/many-words-here">words</a></p>'
    assert word_count(html) == 2


def test_contractions_and_hyphenated_words_count_once():
    assert word_count("<p>It’s a well-known rule, isn't it?</p>") == 6


def test_reading_time_rounds_up_and_is_at_least_a_minute():
    assert reading_minutes("<p></p>") == 1
    assert reading_minutes("<p>" + "word " * 231 + "</p>") == 2
    assert reading_minutes("<p>" + "word " * 460 + "</p>", words_per_minute=230) == 2
