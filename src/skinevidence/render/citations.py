"""An answer's references as BibTeX or RIS, for a reference manager. Each reference is one entry keyed by its record
id, with the parts the record holds (authors, title, journal, year, DOI, PMID, address) and nothing invented: a part
the record does not hold is left out. BibTeX values escape LaTeX's special characters; RIS values are single lines.
A BibTeX parser (bibtexparser) and an RIS reader (rispy) load them back without loss (tests/test_exports.py)."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.errors import InputError

#: LaTeX's special characters and how a BibTeX value writes them (backslash first, so it is not escaped twice).
LATEX = [("\\", r"\textbackslash{}"), ("{", r"\{"), ("}", r"\}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
         ("#", r"\#"), ("_", r"\_"), ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")]


def references_of(answer: BaseModel | list) -> list:
    references = getattr(answer, "references", None)
    if references is None:
        raise InputError(f"a {type(answer).__name__} answer has no references: use --format json, text, md or html")
    return list(references)


def latex(text: str) -> str:
    """``text`` safe inside a brace-delimited BibTeX value."""
    out = []
    for char in text:
        out.append(next((escaped for plain, escaped in LATEX if plain == char), char))
    return "".join(out)


def bibtex_name(author: str) -> str:
    """'Abdel Hay R' (PubMed's surname-initials) -> 'Abdel Hay, R'; a group name stays whole in braces."""
    parts = author.split()
    if len(parts) > 1 and parts[-1].isalpha() and parts[-1].isupper() and len(parts[-1]) <= 4:
        return f"{latex(' '.join(parts[:-1]))}, {parts[-1]}"
    return "{" + latex(author) + "}"


def _bibtex_entry(ref) -> str:
    kind = "article" if ref.kind == "study" and ref.journal else "misc"
    fields: list[tuple[str, str]] = []
    if ref.authors:
        fields.append(("author", " and ".join(bibtex_name(a) for a in ref.authors)))
    elif ref.publisher:
        fields.append(("author", "{" + latex(ref.publisher) + "}"))
    fields.append(("title", latex(ref.title or ref.citation)))
    if ref.journal:
        fields.append(("journal", latex(ref.journal)))
    if ref.year:
        fields.append(("year", str(ref.year)))
    if ref.date:
        fields.append(("date", ref.date))
    if ref.doi:
        fields.append(("doi", latex(ref.doi)))
    if ref.pmid:
        fields.append(("pmid", ref.pmid))
    if ref.pmcid:
        fields.append(("pmcid", ref.pmcid))
    fields.append(("url", latex(ref.url)))
    note = ", ".join(part for part in (ref.design, ref.status if ref.status != "published" else None) if part)
    if note:
        fields.append(("note", latex(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{ref.id},\n{body}\n}}\n"


def to_bibtex(answer: BaseModel | list) -> str:
    return "\n".join(_bibtex_entry(ref) for ref in references_of(answer))


#: RIS reference types: a journal article, else a generic record (a regulator's page, a safety notice).
RIS_TYPES = {"study": "JOUR", "regulation": "GOVDOC", "safety": "GEN"}


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\n"


def _ris_entry(ref) -> str:
    lines = [_line("TY", RIS_TYPES.get(ref.kind, "GEN") if ref.journal or ref.kind != "study" else "GEN"),
             _line("ID", ref.id)]
    lines += [_line("AU", author) for author in ref.authors]
    if not ref.authors and ref.publisher:
        lines.append(_line("AU", ref.publisher))
    lines.append(_line("TI", ref.title or ref.citation))
    if ref.journal:
        lines.append(_line("T2", ref.journal))
    if ref.year:
        lines.append(_line("PY", str(ref.year)))
    if ref.date:
        lines.append(_line("DA", ref.date))
    if ref.doi:
        lines.append(_line("DO", ref.doi))
    if ref.pmid:
        lines.append(_line("AN", ref.pmid))
    lines.append(_line("UR", ref.url))
    note = ", ".join(part for part in (ref.design, ref.status if ref.status != "published" else None) if part)
    if note:
        lines.append(_line("N1", note))
    lines.append("ER  - \n")
    return "".join(lines)


def to_ris(answer: BaseModel | list) -> str:
    return "\n".join(_ris_entry(ref) for ref in references_of(answer))
