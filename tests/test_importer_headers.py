"""Which column feeds which field: the headers people's files have, and --map."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.importer import HeaderError, ReadOptions, mapping_from, open_path, parse_map
from carnet.importer.columns import field_for, header_key, looks_french, map_columns
from support.files import GOOGLE_CONTACTS, OUTLOOK_CONTACTS


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # Refused before with "no phone number column".
        ("N° de téléphone", "phoneNumber"),
        ("Nº de téléphone", "phoneNumber"),
        ("No. de telephone", "phoneNumber"),
        ("Numéro de portable", "phoneNumber"),
        ("NUMÉRO DE PORTABLE", "phoneNumber"),
        ("Téléphone mobile", "phoneNumber"),
        ("Tel 1", "phoneNumber"),
        ("Tél.", "phoneNumber"),
        ("Phone 1 - Value", "phoneNumber"),
        ("Mobile Phone", "phoneNumber"),
        # Ignored before.
        ("Date naissance", "date"),
        ("Date de naissance", "date"),
        ("Date d'anniversaire", "date"),
        ("Nom de famille", "lastname"),
        ("Given Name", "firstname"),
        # Own names from the contract, as before.
        ("phone_number", "phoneNumber"),
        ("short_url", "shortUrlPartnr"),
        ("Custom 3", "custom3"),
        ("Numéro", "phoneNumber"),
        # Not contact fields.
        ("Phone 1 - Label", None),
        ("Home Phone", None),
        ("Société", None),
        ("N°", None),
        ("id", None),
    ],
)
def test_header_names_people_use(header: str, field: str | None) -> None:
    assert field_for(header) == field


def test_header_keys_leave_out_case_accents_punctuation_and_little_words() -> None:
    assert header_key("N° de Téléphone ") == header_key("telephone") == "telephone"
    assert header_key("Date de naissance") == header_key("date_naissance")
    assert header_key("No") == "no"  # a lone word is kept, even a little one


def test_french_headers_are_told_apart() -> None:
    assert looks_french(["N° de téléphone", "Prénom"])
    assert looks_french(["Portable", "Nom"])
    assert not looks_french(["Mobile Phone", "First Name", "Birthday"])


def _read(tmp_path: Path, text: str, **options: object) -> tuple[list[dict[str, str]], object]:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    with open_path(path, ReadOptions(**options)) as source:  # type: ignore[arg-type]
        return [row.contact for row in source], source


def test_a_google_contacts_export(tmp_path: Path) -> None:
    rows, source = _read(tmp_path, GOOGLE_CONTACTS)
    assert rows == [
        {
            "firstname": "Zoé",
            "lastname": "Durand",
            "date": "1985-07-14",
            "phoneNumber": "+33 6 12 34 56 78",
        }
    ]
    assert "Phone 2 - Value" in source.ignored  # type: ignore[attr-defined]


def test_an_outlook_export(tmp_path: Path) -> None:
    rows, _ = _read(tmp_path, OUTLOOK_CONTACTS)
    assert [r["phoneNumber"] for r in rows] == ["+44 7911 123456", "+44 7911 123457"]
    # Month first is the only reading of 7/14/1985; Outlook writes "no birthday" 0/0/00.
    assert rows[0]["date"] == "1985-07-14"
    assert "date" not in rows[1]


def test_map_and_phone_column_name_the_rest(tmp_path: Path) -> None:
    text = "Contact;Joignable au;Nom;Info\n06 12 34 56 78;0611111111;ACME;x\n"
    with pytest.raises(HeaderError, match="--phone-column NAME"):
        _read(tmp_path, text)
    rows, source = _read(
        tmp_path,
        text,
        mapping=parse_map(["joignable au=phone", "Nom=-", "Info=custom2", "Contact=firstname"]),
    )
    assert rows == [{"firstname": "06 12 34 56 78", "phoneNumber": "0611111111", "custom2": "x"}]
    assert source.ignored == ["Nom"]  # type: ignore[attr-defined]


def test_a_mapped_column_takes_the_field_from_the_one_found_by_name() -> None:
    columns, ignored = map_columns(["Tel", "Portable", "Prénom"], {"Portable": "phoneNumber"})
    assert columns == {1: "phoneNumber", 2: "firstname"}
    assert ignored == ["Tel"]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["Portable"], 'write it "Column=field"'),
        (["Portable=phone_no"], "'phone_no' is not a field; use one of phoneNumber, firstname"),
        (["=phone"], 'write it "Column=field"'),
    ],
)
def test_a_wrong_map_says_how_to_write_it(items: list[str], message: str) -> None:
    with pytest.raises(HeaderError, match=message):
        parse_map(items)


def test_a_mapping_given_as_an_object() -> None:
    # As a server's import job takes it: JSON, column -> field.
    assert mapping_from({"Portable ": "phone", "Ville": "CUSTOM1", "Ref": "-"}) == {
        "Portable": "phoneNumber",
        "Ville": "custom1",
        "Ref": "-",
    }
    with pytest.raises(HeaderError, match="'town' is not a field"):
        mapping_from({"Ville": "town"})


def test_map_of_a_column_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(HeaderError, match=r"no column 'GSM 2' in the header \('Tel', 'Nom'\)"):
        _read(tmp_path, "Tel;Nom\n0612345678;A\n", mapping={"GSM 2": "phoneNumber"})
    with pytest.raises(HeaderError, match="--map gives phoneNumber two columns"):
        map_columns(["a", "b"], {"a": "phoneNumber", "b": "phoneNumber"})
