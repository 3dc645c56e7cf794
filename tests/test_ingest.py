"""Ingestion: streaming MEDLINE/PubMed XML, .nbib and RIS; classification with reasons; the resumable review queue;
accepting a record into the evidence folder. Real inputs are the MEDLINE samples in shared/data/medline; hand-built
abstracts use the invented vocabulary of conftest.py, so no test leans on a real ingredient."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import MEDLINE, study
from skinevidence.errors import InputError, SkinEvidenceError
from skinevidence.evidence.database import Database
from skinevidence.evidence.files import load_evidence
from skinevidence.evidence.models import (
    Blinding,
    Comparator,
    Design,
    Direction,
    Population,
    ReviewOf,
    Route,
)
from skinevidence.ingest import (
    Citation,
    Deletion,
    RecordRefused,
    ReviewQueue,
    accept_record,
    classify,
    ingest_files,
    list_queue,
    read_citations,
    reject_record,
    show_record,
)
from skinevidence.ingest.cues import participant_counts
from skinevidence.ingest.medline_xml import parse_medline_xml
from skinevidence.ingest.records import Source

BASELINE = MEDLINE / "medline16n0902.xml.gz"
CURRENT = MEDLINE / "test_current_medline.xml.gz"
EFETCH = MEDLINE / "pubmed-29768149.xml"


@pytest.fixture
def medline():
    def path(file: Path) -> Path:
        assert file.exists(), f"{file} is missing from ../shared"
        return file
    return path


def records(path) -> list:
    return list(read_citations(path))


def by_pmid(path, pmid: str) -> Citation:
    return next(r for r in read_citations(path) if isinstance(r, Citation) and r.pmid == pmid)


def xml_file(tmp_path: Path, *articles: str, name: str = "sample.xml") -> Path:
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0"?>\n<PubmedArticleSet>\n{"".join(articles)}</PubmedArticleSet>\n',
                    encoding="utf-8")
    return path


def article(pmid: str, title: str, abstract: str = "", types=("Journal Article",), mesh=(), automated=False,
            doi: str | None = None) -> str:
    method = ' IndexingMethod="Automated"' if automated else ""
    types_xml = "".join(f"<PublicationType>{t}</PublicationType>" for t in types)
    mesh_xml = "".join(f"<MeshHeading><DescriptorName>{m}</DescriptorName></MeshHeading>" for m in mesh)
    ids = f'<ArticleId IdType="doi">{doi}</ArticleId>' if doi else ""
    return (f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"{method}><PMID Version="1">{pmid}</PMID>'
            f"<Article><Journal><JournalIssue><PubDate><Year>2021</Year></PubDate></JournalIssue>"
            f"<Title>Journal of Invented Dermatology</Title></Journal><ArticleTitle>{title}</ArticleTitle>"
            f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>"
            f"<AuthorList><Author><LastName>Doe</LastName><ForeName>Jane</ForeName><Initials>J</Initials></Author>"
            f"</AuthorList><Language>eng</Language><PublicationTypeList>{types_xml}</PublicationTypeList></Article>"
            f"<MeshHeadingList>{mesh_xml}</MeshHeadingList></MedlineCitation>"
            f"<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">{pmid}</ArticleId>{ids}</ArticleIdList>"
            f"</PubmedData></PubmedArticle>\n")


def cite(title: str, abstract: str = "", **fields) -> Citation:
    return Citation(pmid=fields.pop("pmid", "1"), title=title, abstract=abstract,
                    source=Source("hand-built.xml", 1), **fields)


RCT_TITLE = "Alpha serum for facial wrinkles: a randomised, double-blind, vehicle-controlled trial"
RCT_ABSTRACT = ("METHODS: Sixty women with wrinkles of the skin were randomly assigned to alpha serum or vehicle twice "
                "daily for 12 weeks. RESULTS: Wrinkle scores fell more with alpha serum. CONCLUSIONS: Alpha serum "
                "significantly improved wrinkles compared with vehicle.")


# reading the real samples --------------------------------------------------------------------------------------------

def test_the_2016_baseline_file_streams_604_citations_and_one_deletion(medline):
    found = records(medline(BASELINE))
    assert sum(isinstance(r, Citation) for r in found) == 604
    assert sum(isinstance(r, Deletion) for r in found) == 1


def test_a_citation_matches_what_the_file_itself_says(medline):
    path = medline(EFETCH)
    root = ElementTree.parse(path).getroot()
    expected_title = "".join(root.find(".//ArticleTitle").itertext()).strip()
    expected_journal = root.find(".//Journal/Title").text
    expected_year = int(root.find(".//JournalIssue/PubDate/Year").text)
    expected_doi = root.find(".//ELocationID[@EIdType='doi']").text
    pmid = root.find(".//MedlineCitation/PMID").text
    citation = by_pmid(path, pmid)
    assert (citation.title, citation.journal, citation.year, citation.doi) == \
        (expected_title, expected_journal, expected_year, expected_doi)


def test_a_baseline_citation_matches_the_file(medline):
    path = medline(BASELINE)
    with gzip.open(path) as handle:
        first = next(e for _, e in ElementTree.iterparse(handle) if e.tag == "MedlineCitation")
    citation = records(path)[0]
    last, initials = first.find(".//Author/LastName").text, first.find(".//Author/Initials").text
    assert citation.pmid == first.find("PMID").text and citation.version == 1
    assert citation.first_author == f"{last} {initials}"
    assert citation.mesh == tuple(d.text for d in first.iter("DescriptorName"))


def test_structured_abstract_sections_are_joined_with_their_labels(medline):
    citation = by_pmid(medline(EFETCH), "29768149")
    assert citation.abstract.startswith("BACKGROUND: ") and " CONCLUSIONS: " in citation.abstract


def test_the_delete_citation_is_yielded_as_a_deletion(medline):
    deletions = [r for r in records(medline(BASELINE)) if isinstance(r, Deletion)]
    assert [d.pmid for d in deletions] == ["26432306"] and deletions[0].source.line > 65535


def test_the_2024_file_flags_automated_indexing(medline):
    found = {r.pmid: r for r in records(medline(CURRENT))}
    assert len(found) == 4
    assert found["36400559"].indexing_method == "Automated" and not found["36400559"].indexed_by_person
    assert found["2930949"].indexed_by_person and found["2930949"].pmcid == "PMC1306303"


def test_automated_publication_types_are_not_trusted(medline, evidence):
    citation = by_pmid(medline(CURRENT), "36400559")  # typed 'Review' by automated indexing
    design = classify(citation, evidence.catalog()).design
    assert design.guess and "Automated" in design.why


def test_the_efetch_trial_is_an_rct_by_its_publication_type(medline, evidence):
    result = classify(by_pmid(medline(EFETCH), "29768149"), evidence.catalog())
    assert result.design.value is Design.RCT and "Randomized Controlled Trial" in result.design.why
    assert result.participants.value == 3849 and result.blinding.value is Blinding.DOUBLE
    assert result.registry_ids.value == ["NCT02149199"]


def test_the_registry_number_comes_from_the_data_bank_list(medline):
    assert by_pmid(medline(EFETCH), "29768149").registry_ids == ("NCT02149199",)


class _Repeated:
    """The 604 citations of the baseline sample, N times over, as a stream (never whole in memory)."""

    def __init__(self, data: bytes, times: int):
        start, end = data.index(b"<MedlineCitation "), data.rindex(b"</MedlineCitationSet>")
        self.parts = [data[:start], *[data[start:end]] * times, data[end:]]
        self.index = self.position = 0

    def read(self, size: int = 65536) -> bytes:
        while self.index < len(self.parts):
            part = self.parts[self.index]
            if self.position < len(part):
                chunk = part[self.position:self.position + size]
                self.position += len(chunk)
                return chunk
            self.index, self.position = self.index + 1, 0
        return b""


def test_python_memory_stays_flat_over_the_604_record_file_repeated(medline):
    with gzip.open(medline(BASELINE)) as handle:
        data = handle.read()
    peaks = {}
    for times in (1, 4):
        stream = _Repeated(data, times)
        tracemalloc.start()
        count = sum(1 for _ in parse_medline_xml(stream, "repeated"))
        peaks[times] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert count == 605 * times
    # 2,420 records would hold 3-5 MB if each were kept; the parser's peak stays near that of one file
    assert peaks[4] < 2 * 1024 * 1024 and peaks[4] < peaks[1] + 1024 * 1024


def test_the_parser_frees_each_record_so_resident_memory_stays_flat(medline):
    script = textwrap.dedent(f"""
        import gzip, resource, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_ingest import _Repeated
        from skinevidence.ingest.medline_xml import parse_medline_xml
        data = gzip.open({str(medline(BASELINE))!r}).read()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        count = sum(1 for _ in parse_medline_xml(_Repeated(data, 12), "x"))
        print(count, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    count, grown_mb = map(int, subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                              check=True, timeout=120).stdout.split())
    assert count == 605 * 12 and grown_mb < 40  # 47 MB of XML; a tree kept whole would take about 450 MB


# classification on hand-built abstracts ------------------------------------------------------------------------------

def test_a_randomised_vehicle_controlled_abstract_is_an_rct(evidence):
    result = classify(cite(RCT_TITLE, RCT_ABSTRACT), evidence.catalog())
    assert result.design.value is Design.RCT and "randomised" in result.design.why
    assert (result.randomised.value, result.blinding.value, result.comparator.value) == \
        (True, Blinding.DOUBLE, Comparator.VEHICLE)
    assert result.interventions.value == ["alpha-serum"] and result.outcomes.value == ["wrinkles"]


def test_a_randomised_split_face_abstract_is_a_split_body_rct_after_microneedling(evidence):
    result = classify(cite(
        "Alpha serum after microneedling for melasma: a randomized split-face study",
        "Twenty-five adults with melasma had microneedling on both halves of the face; one side, chosen at random, "
        "then received alpha serum."), evidence.catalog())
    assert result.design.value is Design.SPLIT_BODY_RCT and "split-face" in result.design.why
    assert result.route.value is Route.AFTER_MICRONEEDLING and result.co_interventions.value == ["needling"]
    assert result.participants.value == 25


def test_a_split_face_study_that_does_not_say_randomised_is_non_randomised(evidence):
    result = classify(cite("Alpha serum on one side of the face: a split-face study of wrinkles",
                           "Ten women applied alpha serum to one side of the face."), evidence.catalog())
    assert result.design.value is Design.NON_RANDOMISED_CONTROLLED


def test_a_case_report_is_one_person(evidence):
    result = classify(cite("Adverse events after a gamma peel: a case report",
                           "We report a 45-year-old woman who developed granulomas on the skin after a gamma peel."),
                      evidence.catalog())
    assert result.design.value is Design.CASE_REPORT and result.population.value is Population.HUMAN
    assert result.participants.value == 1


def test_an_animal_study_is_animal_with_no_participants(evidence):
    result = classify(cite("Alpha serum reduces wrinkles in UVB-irradiated hairless mice",
                           "Thirty mice were treated with alpha serum on the dorsal skin for 8 weeks."),
                      evidence.catalog())
    assert (result.design.value, result.population.value, result.participants.value) == \
        (Design.ANIMAL, Population.ANIMAL, None)


def test_an_in_vitro_study_is_laboratory_work(evidence):
    result = classify(cite("Alpha serum increases collagen in cultured human dermal fibroblasts",
                           "Fibroblasts from healthy volunteers were treated with alpha serum in vitro."),
                      evidence.catalog())
    assert (result.design.value, result.population.value, result.route.value) == \
        (Design.IN_VITRO, Population.CELLS, Route.LABORATORY)


def test_a_review_without_a_systematic_search_is_narrative(evidence):
    result = classify(cite("Alpha serum in dermatology: a review",
                           "In this review we discuss alpha serum for wrinkles of the skin."), evidence.catalog())
    assert result.design.value is Design.NARRATIVE_REVIEW and result.participants.value is None


def test_a_meta_analysis_reads_its_studies_participants_and_i_squared(evidence):
    result = classify(cite(
        "Alpha serum for wrinkles: a systematic review and meta-analysis of randomized controlled trials",
        "We searched MEDLINE and Embase. Twelve RCTs with 1,024 participants were included. Alpha serum improved "
        "wrinkles of the skin (I2 = 35%)."), evidence.catalog())
    assert (result.design.value, result.review_of.value, result.studies_included.value, result.participants.value,
            result.i_squared.value) == (Design.META_ANALYSIS, ReviewOf.RCT, 12, 1024, 35.0)


def test_a_publication_type_indexed_by_a_person_decides_the_design(evidence):
    result = classify(cite("Alpha serum and wrinkles", "Women used alpha serum.",
                           publication_types=("Journal Article", "Randomized Controlled Trial")), evidence.catalog())
    assert result.design.value is Design.RCT and "publication type" in result.design.why and not result.design.guess


def test_case_reports_by_publication_type(evidence):
    result = classify(cite("Granulomas after alpha serum", "A woman developed nodules.",
                           publication_types=("Case Reports",)), evidence.catalog())
    assert result.design.value is Design.CASE_REPORT


def test_automated_indexing_falls_back_to_text_cues(evidence):
    result = classify(cite("Alpha serum and wrinkles: a cohort study", "Adults who used alpha serum were followed.",
                           publication_types=("Randomized Controlled Trial",), indexing_method="Automated"),
                      evidence.catalog())
    assert result.design.value is Design.COHORT and "title" in result.design.why


def test_mesh_animals_without_humans_makes_an_animal_study(evidence):
    result = classify(cite("Alpha serum and wrinkles", "Alpha serum was applied.", mesh=("Animals", "Mice")),
                      evidence.catalog())
    assert result.design.value is Design.ANIMAL and "MeSH" in result.population.why


def test_the_direction_is_a_guess_from_the_conclusion(evidence):
    direction = classify(cite(RCT_TITLE, RCT_ABSTRACT), evidence.catalog()).direction_guess
    assert direction.value is Direction.BENEFIT and direction.guess and "CONCLUSIONS" in direction.why


def test_no_significant_difference_is_not_read_as_benefit(evidence):
    abstract = "CONCLUSIONS: Alpha serum produced no significant improvement in wrinkles over vehicle."
    assert classify(cite(RCT_TITLE, abstract), evidence.catalog()).direction_guess.value is Direction.NO_DIFFERENCE


def test_relevance_needs_a_vocabulary_term_and_skin(evidence):
    catalog = evidence.catalog()
    assert classify(cite(RCT_TITLE, RCT_ABSTRACT), catalog).relevant.value is True
    assert classify(cite("Fine lines in a spectrometer", "Lines were measured."), catalog).relevant.value is False
    assert classify(cite("Renal function in rats", "Kidneys were studied."), catalog).relevant.value is False


def test_what_cannot_be_derived_stays_null_and_says_why(evidence):
    result = classify(cite("Alpha serum", ""), evidence.catalog())
    assert result.design.value is None and result.participants.value is None and result.design.why


# participants --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Patients (n = 30) were treated.", 30),
    ("A total of 3,849 patients underwent randomization, and 1277 in one group.", 3849),
    ("Twenty-five healthy women took part.", 25),
    ("We enrolled 40 and followed them.", 40),
    ("17 out of 20 participants improved.", 20),
    ("One hundred twenty patients were enrolled; 9 withdrew.", 120),
])
def test_participants_are_the_largest_count_of_people(text, expected):
    assert max(h.value for h in participant_counts(text)) == expected


@pytest.mark.parametrize("text", [
    "85% of patients improved.",
    "In 2015 patients were recruited at one site.",
    "The serum was applied for 12 weeks.",
    "Data were pooled (n = 10 per group).",
    "Acne affects 600 million people worldwide.",
])
def test_no_count_of_people_gives_none(text):
    assert participant_counts(text) == []


# .nbib and RIS -------------------------------------------------------------------------------------------------------

NBIB = """\
PMID- 29768149
OWN - NLM
STAT- MEDLINE
DP  - 2018 May 17
TI  - Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.
PG  - 1865-1876
LID - 10.1056/NEJMoa1715274 [doi]
AB  - BACKGROUND: In patients with mild asthma, as-needed use of an inhaled
      glucocorticoid plus a fast-acting beta2-agonist may be an alternative.
FAU - O'Byrne, Paul M
AU  - O'Byrne PM
FAU - FitzGerald, J Mark
AU  - FitzGerald JM
LA  - eng
SI  - ClinicalTrials.gov/NCT02149199
PT  - Clinical Trial, Phase III
PT  - Journal Article
PT  - Randomized Controlled Trial
TA  - N Engl J Med
JT  - The New England journal of medicine
MH  - Adult
MH  - *Asthma/drug therapy
AID - 10.1056/NEJMoa1715274 [doi]

PMID- 2930949
TI  - Low back pain.
DP  - 1985 Aug
AU  - Reuler JB
PMC - PMC1306303
"""


def test_nbib_records_are_read_with_their_fields(tmp_path):
    path = tmp_path / "pubmed.nbib"
    path.write_text(NBIB, encoding="utf-8")
    first, second = records(path)
    assert (first.pmid, first.year, first.doi, first.journal) == \
        ("29768149", 2018, "10.1056/NEJMoa1715274", "The New England journal of medicine")
    assert first.authors == ("O'Byrne PM", "FitzGerald JM") and first.mesh == ("Adult", "Asthma")
    assert "inhaled glucocorticoid" in first.abstract and first.registry_ids == ("NCT02149199",)
    assert "Randomized Controlled Trial" in first.publication_types and first.source.format == "medline-text"
    assert (second.pmid, second.pmcid, second.source.line) == ("2930949", "PMC1306303", 25)


RIS = """\
TY  - JOUR
TI  - Alpha serum for facial wrinkles
AU  - Doe, Jane Anne
AU  - Roe, R.
PY  - 2021/03/01/
JO  - J Invent Dermatol
DO  - 10.1000/alpha.2021
AN  - 31234567
AB  - Sixty women were randomly assigned
  to alpha serum or vehicle.
ER  - 

TY  - JOUR
T1  - A record without a PMID
Y1  - 2019
DO  - https://doi.org/10.1000/B-2019
ER  -
"""


def test_ris_records_are_read_with_their_fields(tmp_path):
    path = tmp_path / "export.ris"
    path.write_text(RIS, encoding="utf-8")
    first, second = records(path)
    assert (first.pmid, first.title, first.year, first.doi, first.journal) == \
        ("31234567", "Alpha serum for facial wrinkles", 2021, "10.1000/alpha.2021", "J Invent Dermatol")
    assert first.authors == ("Doe JA", "Roe R") and first.abstract.endswith("alpha serum or vehicle.")
    assert second.pmid is None and second.key == "doi:10.1000/b-2019"


def test_the_format_is_read_from_the_content_not_the_name(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(RIS, encoding="utf-8")
    assert records(path)[0].source.format == "ris"


def test_a_gzipped_nbib_streams_like_a_plain_one(tmp_path):
    path = tmp_path / "pubmed.nbib.gz"
    path.write_bytes(gzip.compress(NBIB.encode()))
    assert [r.pmid for r in records(path)] == ["29768149", "2930949"]


# malformed input -----------------------------------------------------------------------------------------------------

def test_malformed_xml_is_an_input_error_naming_file_and_line(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<?xml version='1.0'?>\n<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation>\n</PubmedArticle>",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.xml: line \d+: not well-formed XML"):
        records(path)


def test_xml_that_is_not_medline_is_an_input_error(tmp_path):
    path = tmp_path / "page.xml"
    path.write_text("<html><body>not pubmed</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="not MEDLINE/PubMed XML"):
        records(path)


def test_a_record_without_a_pmid_is_an_input_error_naming_the_line(tmp_path):
    path = xml_file(tmp_path, "<PubmedArticle><MedlineCitation><Article/></MedlineCitation></PubmedArticle>")
    with pytest.raises(InputError, match=r"sample\.xml: line 3: a record without a valid PMID"):
        records(path)


def test_malformed_nbib_is_an_input_error_naming_file_and_line(tmp_path):
    path = tmp_path / "broken.nbib"
    path.write_text("PMID- 1\nTI  - A title\nthis line is no tag\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.nbib: line 3"):
        records(path)


def test_a_ris_record_that_never_ends_is_an_input_error(tmp_path):
    path = tmp_path / "cut.ris"
    path.write_text("TY  - JOUR\nTI  - A title\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cut\.ris: record from line 1 never ends"):
        records(path)


def test_a_truncated_gzip_file_is_an_input_error(tmp_path, medline):
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(medline(BASELINE).read_bytes()[:50_000])
    with pytest.raises(InputError, match=r"cut\.xml\.gz"):
        records(path)


def test_a_file_in_no_known_format_is_an_input_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear editor,\n", encoding="utf-8")
    with pytest.raises(InputError, match="not MEDLINE/PubMed XML, PubMed's MEDLINE text"):
        records(path)


# the review queue ----------------------------------------------------------------------------------------------------

@pytest.fixture
def queue_path(tmp_path) -> Path:
    return tmp_path / "state" / "queue.sqlite"


def ingest(paths, catalog, queue_path, **options):
    with ReviewQueue(queue_path, writable=True) as queue:
        return ingest_files(paths, catalog, queue, **options)


def test_ingesting_the_same_file_twice_queues_nothing_twice(medline, evidence, queue_path):
    catalog = evidence.catalog()
    first = ingest([medline(CURRENT)], catalog, queue_path)
    second = ingest([medline(CURRENT)], catalog, queue_path)
    assert (first.queued, second.queued, second.skipped) == (4, 0, 4)
    assert len(list_queue(queue_path).items) == 4


def test_an_interrupted_run_resumes_where_it_stopped(medline, evidence, queue_path):
    catalog = evidence.catalog()
    seen = []

    def interrupt(name, done, total):
        seen.append(done)
        if len(seen) == 2:
            raise KeyboardInterrupt
    stopped = ingest([medline(BASELINE)], catalog, queue_path, progress=interrupt, batch=50)
    partial = ReviewQueue.open(queue_path).counts()["queued"]
    assert stopped.interrupted and stopped.queued == partial
    resumed = ingest([medline(BASELINE)], catalog, queue_path)
    assert 0 < partial < 604 and resumed.skipped == partial and resumed.queued == 604 - partial
    assert ReviewQueue.open(queue_path).counts()["queued"] == 604


def test_a_killed_writer_loses_only_its_uncommitted_batch(medline, evidence, queue_path):
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from skinevidence.evidence.database import Database
        from skinevidence.ingest import ReviewQueue, ingest_files
        queue = ReviewQueue({str(queue_path)!r}, writable=True)
        ingest_files([{str(medline(CURRENT))!r}], Database.open(None, {str(evidence.root)!r}).catalog(), queue)
        queue.add(queue.citation("2930949").__class__(pmid="99", title="never committed"), {{}})
        os._exit(9)  # killed: no close, no commit
    """)
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode == 9
    queue = ReviewQueue.open(queue_path)
    assert queue.counts()["queued"] == 4 and queue.get("99") is None


def test_an_interrupted_run_ends_with_a_summary_and_the_way_to_resume(tmp_path):
    from skinevidence.ingest.commands import format_report
    from skinevidence.ingest.run import IngestReport
    text = format_report(IngestReport(files=["a.xml"], queue=str(tmp_path / "q.sqlite"), read=120, queued=100,
                                      interrupted=True))
    assert text.splitlines()[-1].startswith("interrupted after 120 records") and "run the same command again" in text


def test_a_file_that_is_not_a_queue_is_an_input_error_naming_it(queue_path):
    queue_path.parent.mkdir(parents=True)
    queue_path.write_bytes(b"not a database, just text\n" * 100)
    with pytest.raises(InputError, match=r"queue\.sqlite: not a review queue"):
        ReviewQueue.open(queue_path)


def test_a_second_writer_is_told_the_queue_is_in_use(queue_path):
    with ReviewQueue(queue_path, writable=True), \
            pytest.raises(SkinEvidenceError, match="in use by another skinevidence process"):
        ReviewQueue(queue_path, writable=True)


def test_a_missing_file_is_reported_before_anything_is_queued(medline, evidence, queue_path, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest([medline(CURRENT), tmp_path / "missing.xml"], evidence.catalog(), queue_path)
    assert ReviewQueue.open(queue_path).counts()["queued"] == 0


def test_a_deletion_removes_a_queued_pmid(medline, evidence, queue_path, tmp_path):
    ingest([medline(EFETCH)], evidence.catalog(), queue_path)
    update = tmp_path / "update.xml"
    update.write_text("<PubmedArticleSet><DeleteCitation><PMID Version=\"1\">29768149</PMID></DeleteCitation>"
                      "</PubmedArticleSet>", encoding="utf-8")
    report = ingest([update], evidence.catalog(), queue_path)
    assert (report.deleted, report.removed) == (1, 1)
    assert ReviewQueue.open(queue_path).state("29768149") is None


def test_only_relevant_queues_only_records_about_skin(evidence, queue_path, tmp_path):
    path = xml_file(tmp_path, article("11", RCT_TITLE, RCT_ABSTRACT),
                    article("12", "Renal function in rats", "Kidneys were studied."))
    report = ingest([path], evidence.catalog(), queue_path, only_relevant=True)
    assert (report.read, report.queued, report.relevant, report.left_out) == (2, 1, 1, 1)


def test_a_revised_record_replaces_the_queued_version(evidence, queue_path, tmp_path):
    ingest([xml_file(tmp_path, article("11", RCT_TITLE, RCT_ABSTRACT), name="v1.xml")], evidence.catalog(), queue_path)
    report = ingest([xml_file(tmp_path, article("11", RCT_TITLE + " (corrected)", RCT_ABSTRACT), name="v2.xml")],
                    evidence.catalog(), queue_path)
    assert report.updated == 1 and ReviewQueue.open(queue_path).citation("11").title.endswith("(corrected)")


def test_reject_is_remembered_when_the_file_is_ingested_again(medline, evidence, queue_path):
    ingest([medline(EFETCH)], evidence.catalog(), queue_path)
    reject_record(queue_path, "29768149")
    again = ingest([medline(EFETCH)], evidence.catalog(), queue_path)
    assert again.skipped == 1 and ReviewQueue.open(queue_path).state("29768149") == "rejected"


def test_show_gives_every_derived_value_with_its_reason(medline, evidence, queue_path):
    ingest([medline(EFETCH)], evidence.catalog(), queue_path)
    record = show_record(queue_path, "PMID:29768149", evidence.catalog())
    assert record.url == "https://pubmed.ncbi.nlm.nih.gov/29768149/"
    assert all(derived.why for _, derived in record.classification)


# accepting into the evidence folder ----------------------------------------------------------------------------------

@pytest.fixture
def queued_trial(evidence, queue_path, tmp_path):
    evidence.add(study("t1"))
    path = xml_file(tmp_path, article("31234567", RCT_TITLE, RCT_ABSTRACT, doi="10.1000/alpha.2021"))
    ingest([path], evidence.catalog(), queue_path)
    return evidence


def test_accept_writes_a_record_that_validates_and_enters_the_database(queued_trial, queue_path, tmp_path):
    decision = accept_record(queue_path, "31234567", queued_trial.root)
    assert load_evidence(queued_trial.root)[1] == []
    catalog = Database.open(tmp_path / "db.sqlite", queued_trial.root).catalog()
    accepted = catalog.resolve_study("31234567")
    assert accepted.id == decision.study_id == "doe-2021-alpha-serum-facial-wrinkles"
    assert accepted.provenance.coded_by == "auto" and accepted.provenance.urls == \
        ["https://pubmed.ncbi.nlm.nih.gov/31234567/"]
    assert (accepted.design, accepted.participants, accepted.doi) == (Design.RCT, 60, "10.1000/alpha.2021")
    assert ReviewQueue.open(queue_path).state("31234567") == "accepted"


def test_an_accepted_record_enters_no_grade_until_curated(queued_trial, queue_path):
    accept_record(queue_path, "31234567", queued_trial.root)
    text = next((queued_trial.root / "studies").glob("doe-2021-*.yaml")).read_text(encoding="utf-8")
    assert "direction: not-reported  # guess benefit" in text
    summary = text.split("summary:")[1].split("provenance:")[0]
    assert "auto-ingested" in summary.lower() and "significantly improved" not in summary


def test_every_auto_filled_value_says_how_it_was_derived(queued_trial, queue_path):
    accept_record(queue_path, "31234567", queued_trial.root, study_id="doe-trial")
    lines = (queued_trial.root / "studies" / "doe-trial.yaml").read_text(encoding="utf-8").splitlines()
    for field in ("design:", "population:", "participants:", "randomised:", "blinding:", "route:", "comparator:"):
        line = next(line for line in lines if line.strip().startswith(field))
        assert "# derived: " in line, line


def test_accept_refuses_a_record_that_would_not_validate_and_writes_nothing(evidence, queue_path, tmp_path):
    evidence.add(study("t1"))
    path = xml_file(tmp_path, article("41", "Alpha serum in dermatology", "Alpha serum is used on the skin."))
    ingest([path], evidence.catalog(), queue_path)
    before = sorted((evidence.root / "studies").iterdir())
    with pytest.raises(RecordRefused) as refused:
        accept_record(queue_path, "41", evidence.root)
    assert any(p.field in ("design", "findings") for p in refused.value.problems)
    assert sorted((evidence.root / "studies").iterdir()) == before
    assert ReviewQueue.open(queue_path).state("41") == "queued"


HOSTILE_IDS = ["../../escaped", "../escaped", "/tmp/escaped-absolute", "sub/dir/x", "sub\\x", "x\x00y", "..",
               "Upper-Case", "double--hyphen", "x" * 121, ""]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_accept_refuses_an_id_that_is_not_a_record_id_and_leaves_nothing(queued_trial, queue_path, tmp_path,
                                                                         hostile):
    before = {p for p in tmp_path.rglob("*")}
    with pytest.raises(InputError, match="not a record id"):
        accept_record(queue_path, "31234567", queued_trial.root, study_id=hostile)
    assert {p for p in tmp_path.rglob("*")} == before  # nothing outside, nothing inside, no temporary file
    assert not Path("/tmp/escaped-absolute.yaml").exists()
    assert ReviewQueue.open(queue_path).state("31234567") == "queued"


def test_a_failed_write_leaves_no_temporary_file(queued_trial, queue_path, monkeypatch):
    def refuse(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("os.replace", refuse)
    with pytest.raises(SkinEvidenceError, match="No space left"):
        accept_record(queue_path, "31234567", queued_trial.root, study_id="doe-trial")
    assert [p.name for p in (queued_trial.root / "studies").iterdir() if p.name.startswith(".")] == []
    assert ReviewQueue.open(queue_path).state("31234567") == "queued"


def test_review_accept_with_a_path_as_id_exits_5_without_traceback(queued_trial, tmp_path):
    path = xml_file(tmp_path, article("31234567", RCT_TITLE, RCT_ABSTRACT))
    assert cli("ingest", str(path), evidence_root=queued_trial.root, tmp_path=tmp_path).returncode == 0
    result = cli("review", "accept", "31234567", "--id", "../../x", evidence_root=queued_trial.root,
                 tmp_path=tmp_path)
    assert result.returncode == 5 and "not a record id" in result.stderr and "Traceback" not in result.stderr
    assert not (queued_trial.root.parent / "x.yaml").exists()


# the command line ----------------------------------------------------------------------------------------------------

def cli(*args, evidence_root, tmp_path):
    env = {**os.environ, "SKINEVIDENCE_DB": str(tmp_path / "cli.sqlite"),
           "SKINEVIDENCE_QUEUE": str(tmp_path / "q.sqlite")}
    return subprocess.run([sys.executable, "-m", "skinevidence", "--evidence", str(evidence_root), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def test_the_ingest_command_prints_its_counts(medline, evidence, tmp_path):
    evidence.add(study("t1"))
    result = cli("ingest", str(medline(BASELINE)), evidence_root=evidence.root, tmp_path=tmp_path)
    counts = {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()[:5]}
    assert result.returncode == 0 and counts == {"read": 604, "skipped": 0, "deleted": 1, "queued": 604,
                                                 "relevant": counts["relevant"]}


def test_review_accept_and_reject_from_the_command_line(queued_trial, tmp_path):
    path = xml_file(tmp_path, article("31234567", RCT_TITLE, RCT_ABSTRACT), article("12", "Renal function in rats"))
    assert cli("ingest", str(path), evidence_root=queued_trial.root, tmp_path=tmp_path).returncode == 0
    accepted = cli("review", "accept", "31234567", "--id", "doe-2021-alpha", evidence_root=queued_trial.root,
                   tmp_path=tmp_path)
    rejected = cli("review", "reject", "12", evidence_root=queued_trial.root, tmp_path=tmp_path)
    listing = json.loads(cli("review", "list", "--format", "json", evidence_root=queued_trial.root,
                             tmp_path=tmp_path).stdout)
    assert accepted.returncode == 0 and "doe-2021-alpha" in accepted.stdout and rejected.returncode == 0
    assert listing["counts"] == {"queued": 0, "accepted": 1, "rejected": 1}
    assert cli("db", "validate", evidence_root=queued_trial.root, tmp_path=tmp_path).returncode == 0


def test_review_of_an_unknown_pmid_exits_3_without_traceback(evidence, tmp_path):
    result = cli("review", "show", "999", evidence_root=evidence.root, tmp_path=tmp_path)
    assert result.returncode == 3 and "not in the review queue" in result.stderr and "Traceback" not in result.stderr


def test_review_without_a_pmid_is_a_usage_error(evidence, tmp_path):
    result = cli("review", "accept", evidence_root=evidence.root, tmp_path=tmp_path)
    assert result.returncode == 2 and "needs a PMID" in result.stderr
