"""Long texts (docs/hardening.md, "Long texts"): a text read in blocks of whole lines gives exactly the sentences,
matches and claims of the text read whole, and ``check`` and ``audit`` written claim by claim give exactly the JSON
of the whole answer. Real wording: the seed articles (marketing copy, clinic pages, news), alone and joined into one
long text; block sizes small enough that blocks end inside paragraphs' runs of lines and between them."""

from __future__ import annotations

import io

import pytest

from skinevidence.claims.audit import AuditStream, audit_text
from skinevidence.claims.check import CheckStream, check_text
from skinevidence.claims.reading import reading_lexicon, text_reader
from skinevidence.render import to_json
from skinevidence.render.stream import audit_json, check_json
from skinevidence.text.reading import line_blocks, read, read_blocks

SEEDS = ("000", "001", "002", "003", "004")
BLOCKS = (40, 700, 5000)  # characters: shorter than a line, a few lines, a few paragraphs


@pytest.fixture
def articles(seed) -> dict[str, str]:
    texts = {name: seed(name) for name in SEEDS}
    texts["all five, joined"] = "\n\n".join(texts.values())
    return texts


def sentences(documents) -> list[tuple]:
    return [(s.index, s.start, s.end, s.text, s.paragraph, s.matches, s.quoted, s.quotes)
            for document in documents for s in document.sentences]


def test_blocks_are_whole_lines_that_cover_the_text_once(articles):
    text = articles["all five, joined"]
    for size in BLOCKS:
        blocks = list(line_blocks(text, size))
        assert "".join(text[a:b] for a, b in blocks) == text
        assert all(text[b - 1] == "\n" for _, b in blocks[:-1])


@pytest.mark.parametrize("size", BLOCKS)
def test_a_text_read_in_blocks_gives_the_sentences_and_matches_of_the_text_read_whole(bundled, articles, size):
    lexicon = reading_lexicon(bundled)
    for name, text in articles.items():
        assert sentences(read_blocks(text, lexicon, size)) == sentences([read(text, lexicon)]), name


@pytest.mark.parametrize("size", BLOCKS)
def test_a_text_checked_in_blocks_gives_the_claims_of_the_text_checked_whole(bundled, articles, size):
    for name, text in articles.items():
        blocks = CheckStream(bundled, text, text_reader(bundled, text, size))
        whole = CheckStream(bundled, text, text_reader(bundled, text, len(text)))
        assert blocks.result(list(blocks.claims())) == whole.result(list(whole.claims())), name


def test_check_written_claim_by_claim_is_the_json_of_the_whole_answer(bundled, articles):
    text = articles["all five, joined"]
    out = io.StringIO()
    check_json(CheckStream(bundled, text, text_reader(bundled, text, 700), "joined"), out)
    answer = check_text(bundled, text, source="joined")
    assert answer.claims
    assert out.getvalue() == to_json(answer)


def test_audit_written_claim_by_claim_is_the_json_of_the_whole_answer(bundled, articles):
    text = articles["all five, joined"]
    out = io.StringIO()
    audit_json(AuditStream(bundled, text, "joined"), out)
    answer = audit_text(bundled, text, source="joined")
    assert answer.claims.claims and answer.segments
    assert out.getvalue() == to_json(answer)


def test_a_text_without_claims_is_written_with_empty_lists(bundled):
    text = "The bottle is made of recycled glass.\nStore it in a cool place.\n"
    out = io.StringIO()
    check_json(CheckStream(bundled, text, text_reader(bundled, text)), out)
    assert out.getvalue() == to_json(check_text(bundled, text))
    assert '"claims": []' in out.getvalue()


def test_a_name_the_base_does_not_know_is_listed_once_however_many_claims_name_it(bundled):
    text = "\n".join([*(f"Retinol reduces wrinkles in {n} weeks." for n in range(8, 14)),
                      *(f"Zorbanide serum visibly reduces wrinkles in {n} days." for n in range(3, 6))])
    answer = check_text(bundled, text)
    unknown = [c.subject for c in answer.claims if c.subject_known is False]
    assert len(unknown) == 3 and len(set(unknown)) == 1
    assert answer.unknown_topics == unknown[:1]
