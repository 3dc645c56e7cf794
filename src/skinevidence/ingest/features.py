"""The words a study-type decision is weighed on: groups of cue phrases (and a few patterns) found in a citation's
title and abstract, one Aho-Corasick pass per text. A feature is ``<where>.<group>`` (``t.random`` = a
randomisation word in the title), so that the same word can weigh differently in a title and in an abstract.

The groups are general readings of how study reports describe themselves (CONSORT, PRISMA and case-report
conventions, the language of laboratory and animal work); they are data, and :mod:`.model` learns how much each
weighs. ``docs/classifier.md`` says how.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

GROUPS: dict[str, str] = {
    "random": "randomized, randomised, randomization, randomisation, random allocation, random assignment, "
              "random order, random sequence",
    "randomly-assigned": "randomly assigned, randomly allocated, randomly divided, randomly received, were randomized, "
                         "were randomised, was randomized, was randomised, were randomly, patients were randomized, "
                         "randomized to, randomised to, randomized into, randomised into, randomized in a, "
                         "randomised in a, randomized double-blind, randomised double-blind",
    "rct-name": "randomized controlled trial, randomised controlled trial, randomized clinical trial, randomised "
                "clinical trial, randomized trial, randomised trial, randomized controlled study, randomized study, "
                "randomised study, RCT",
    "rct-plural": "RCTs, randomized controlled trials, randomised controlled trials, randomized clinical trials, "
                  "randomized trials, randomised trials",
    "not-random": "nonrandomized, non-randomized, nonrandomised, non-randomised, not randomized, not randomised, "
                  "quasi-randomized, quasi-randomised, quasi-experimental, without randomization",
    "allocation": "were assigned, were allocated, assigned to receive, allocated to receive, received either, "
                  "were divided into, treatment group, treatment groups, control group, control groups, "
                  "intervention group, intervention groups, study arm, study arms, two groups, three groups, "
                  "parallel group, parallel-group, arms",
    "placebo": "placebo, placebo-controlled, sham, sham-controlled, vehicle-controlled, dummy",
    "blind": "double-blind, double blind, double-blinded, double-masked, triple-blind, single-blind, "
             "single-blinded, assessor-blinded, observer-blinded, evaluator-blinded, investigator-blinded, "
             "blinded, masked",
    "open-label": "open-label, open label, unblinded",
    "crossover": "crossover, cross-over, split-face, split face, split-body, half-side, contralateral, "
                 "within-subject, intra-individual, intraindividual",
    "trial": "trial, trials, clinical trial, controlled trial, controlled study, phase II, phase III, phase 2, "
             "phase 3, multicenter, multicentre, multi-center",
    "registration": "ClinicalTrials.gov, trial registration, registered at, registration number, ISRCTN, ACTRN, "
                    "ChiCTR, NCT0, NCT1, NCT2, NCT3, NCT4, NCT5, NCT6, IRCT, EudraCT, UMIN",
    "protocol": "study protocol, trial protocol, this protocol, protocol for, will be randomized, will be randomised, "
                "will be recruited, will be enrolled, will be assessed, will be measured, will be allocated, "
                "will receive",
    "secondary": "secondary analysis, post hoc analysis, post-hoc analysis, exploratory analysis, ancillary study, "
                 "subgroup analysis, follow-up study of, extension study",
    "efficacy": "efficacy, effectiveness, efficacy and safety, safety and efficacy, compared with, versus, vs, "
                "superior, non-inferior, noninferior, significantly, primary outcome, primary end point, "
                "primary endpoint, secondary outcomes, intention-to-treat, intention to treat, per-protocol",
    "systematic": "systematic review, systematic reviews, systematically reviewed, systematically searched, "
                  "systematic search, systematic literature search, systematic literature review, PRISMA, "
                  "scoping review, umbrella review, search strategy, inclusion criteria, eligibility criteria, "
                  "risk of bias, methodological quality, two reviewers, independent reviewers, "
                  "screened, data extraction, extracted data, were searched, was searched, searched for",
    "meta": "meta-analysis, meta-analyses, metaanalysis, meta analysis, meta-analytic, meta-regression, pooled, "
            "random-effects, random effects, fixed-effect, fixed effects, forest plot, heterogeneity, "
            "publication bias, funnel plot, weighted mean difference, standardized mean difference, "
            "pooled odds ratio, pooled risk ratio, network meta-analysis",
    "databases": "PubMed, MEDLINE, Embase, EMBASE, Cochrane Library, Cochrane Central, CENTRAL, Web of Science, "
                 "Scopus, CINAHL, PsycINFO, Google Scholar, LILACS, electronic databases, databases",
    "included": "studies were included, trials were included, studies met, trials met, articles were included, "
                "included studies, included trials, eligible studies, eligible trials, studies included, "
                "trials included, publications were included, articles met, studies involving, studies with",
    "review": "overview, narrative review, literature review, this review, we review, is reviewed, are reviewed, "
              "the present review, a review, review of, review article, reviews the, reviews recent, "
              "we discuss, is discussed, are discussed, we summarize, we summarise, summarizes, summarises, "
              "this article, this paper, the literature, current knowledge, current understanding, "
              "recent advances, recent developments, recent progress, state of the art, update on, "
              "perspectives, perspective, highlights, emerging, future directions, challenges",
    "review-word": "review, reviews, reviewed",
    "case": "case report, case reports, a case of, case presentation, report of a case, report a case, "
            "present a case, describe a case, report a patient, present a patient, describe a patient, "
            "we report, we present, we describe, rare case, unusual case, our patient, this patient, "
            "the case of, a case, an unusual, a rare",
    "patient-story": "the patient, a patient, presented with, was admitted, was referred, diagnosed with, "
                     "was treated, he was, she was, he had, she had, his, her, autopsy",
    "case-series": "case series, cases, consecutive patients, consecutive cases, retrospective review, "
                   "retrospective chart review, chart review, medical records",
    "observational": "cohort, cohorts, retrospective, prospective, cross-sectional, case-control, case control, "
                     "population-based, registry, register, database, survey, questionnaire, prevalence, "
                     "incidence, risk factor, risk factors, odds ratio, hazard ratio, associated with, association, "
                     "follow-up, longitudinal, observational, epidemiological, national",
    "guideline": "guideline, guidelines, consensus, recommendations, recommendation, position statement, "
                 "position paper, expert panel, expert opinion, Delphi, practice parameter, best practice",
    "animal": "mice, mouse, murine, rat, rats, rabbit, rabbits, guinea pig, guinea pigs, pig, pigs, piglets, "
              "porcine, minipig, minipigs, swine, hamster, hamsters, sheep, ovine, lambs, goat, goats, cattle, "
              "bovine, cows, calves, dog, dogs, canine, cat, cats, feline, horse, horses, equine, monkey, monkeys, "
              "macaque, macaques, primate, primates, zebrafish, chicken, chickens, chick, chicks, avian, birds, "
              "animals, animal model, animal models, in vivo, knockout, transgenic, wild-type, wild type, "
              "rodent, rodents, Sprague-Dawley, Wistar, C57BL, BALB",
    "veterinary": "veterinary, dog, dogs, canine, cat, cats, feline, horse, horses, equine, cattle, cows, dairy, "
                  "sheep, goats, livestock, poultry, pet, pets, owners, herd, farm, farms, zoonotic, "
                  "companion animals",
    "cells": "in vitro, ex vivo, cell line, cell lines, cultured, culture, cultures, cell culture, cells were, "
             "HaCaT, fibroblasts, keratinocytes, melanocytes, cancer cells, tumor cells, tumour cells, stem cells, "
             "cell proliferation, proliferation, apoptosis, migration, signaling, signalling, pathway, pathways, "
             "expression, mRNA, western blot, Western blotting, PCR, RT-PCR, siRNA, knockdown, transfected, "
             "transfection, overexpression, phosphorylation, assay, assays, incubated, treated cells, "
             "flow cytometry, immunofluorescence, organoids, organotypic, 3D model, skin equivalent",
    "molecular": "protein, proteins, gene, genes, genome, genomic, enzyme, enzymes, receptor, receptors, "
                 "binding, kinase, molecular, mechanism, mechanisms, sequence, sequences, structure, "
                 "crystal structure, synthesis, synthesized, compound, compounds, derivatives, purified, "
                 "mutant, mutants, mutation, DNA, RNA, plasmid",
    "organism": "plant, plants, leaves, leaf, seedlings, roots, Arabidopsis, tobacco, Nicotiana, rice, maize, "
                "wheat, bacteria, bacterial, strain, strains, Escherichia coli, E. coli, yeast, Saccharomyces, "
                "Drosophila, Caenorhabditis, fungi, fungal, virus, viral, parasite, parasites, soil, species",
    "human": "patients, patient, participants, participant, subjects, volunteers, volunteer, women, woman, men, "
             "man, adults, adult, children, child, boys, girls, adolescents, infants, newborns, individuals, "
             "people, persons, healthy volunteers, healthy subjects, outpatients, inpatients, hospital, clinic, "
             "clinical, years old, year-old, aged, mean age, human, humans",
    "people-count": "",  # set by pattern: a count of people
    "year-old": "",      # set by pattern: "a 45-year-old"
    "i-squared": "",     # set by pattern: I2 = 40%
}

_PEOPLE = (r"patients|participants|subjects|volunteers|women|men|adults|children|individuals|people|persons|"
           r"infants|adolescents|girls|boys|cases|eyes|pairs")
PATTERNS = {
    "people-count": re.compile(rf"\b(?:\d{{2,}}|\d{{1,3}},\d{{3}})\s+(?:\w+\s+){{0,2}}?(?:{_PEOPLE})\b|\b[nN]\s*=\s*\d{{2,}}"),
    "year-old": re.compile(r"\b\d{1,3}[- ](?:year|month|week|day)[- ]old\b", re.IGNORECASE),
    "i-squared": re.compile(r"\bI\s*(?:\^\s*2|²|\(2\)|2)\s*(?:=|:|of|was)?\s*\d{1,3}(?:\.\d+)?\s*%"),
}


def present(title_matches: Iterable, abstract_matches: Iterable, title: str, abstract: str) -> set[str]:
    """The features of a citation from its cue matches (``kind == "feature"``): ``t.<group>``, ``a.<group>``, and
    ``no-abstract`` when it has none."""
    found = {f"t.{m.id}" for m in title_matches if m.kind == "feature"}
    found.update(f"a.{m.id}" for m in abstract_matches if m.kind == "feature")
    for where, text in (("t", title), ("a", abstract)):
        if text:
            found.update(f"{where}.{name}" for name, pattern in PATTERNS.items() if pattern.search(text))
    if not abstract:
        found.add("no-abstract")
    return found


def entries() -> Iterable[tuple[str, str, str]]:
    """(phrase, "feature", group) for the cue lexicon."""
    for group, phrases in GROUPS.items():
        for phrase in phrases.split(","):
            if phrase.strip():
                yield phrase.strip(), "feature", group


def pattern_words(text: str, group: str) -> list[str]:
    pattern = PATTERNS.get(group)
    return [m.group(0) for m in pattern.finditer(text)] if pattern else []
