"""The strict YAML reader keeps values as typed and refuses what could hide or lose data."""

from __future__ import annotations

import unicodedata

import pytest

from portal import yamlread
from portal.yamlread import load_bytes, load_file, load_text


def codes(document):
    return [problem.code for problem in document.problems]


def test_unquoted_digits_keep_leading_zero():
    document = load_text("tax_code: 0100000007\nphone: 0900000001\n", "a.yaml")
    assert document.data["tax_code"] == "0100000007"
    assert document.data["phone"] == "0900000001"
    assert document.data["tax_code"] != 16777223
    assert document.problems == []


def test_country_codes_and_answers_stay_text():
    document = load_text("countries: [NO, JP]\nanswer: Yes\nswitch: off\nother: NO\n", "a.yaml")
    assert document.data["countries"] == ["NO", "JP"]
    assert document.data["answer"] == "Yes"
    assert document.data["switch"] == "off"
    assert document.data["other"] == "NO"


def test_dates_and_decimals_stay_text():
    document = load_text("since: 2024-03-15\nversion: 1.10\nstamp: 2024-03-15T10:00:00Z\n", "a.yaml")
    assert document.data == {"since": "2024-03-15", "version": "1.10", "stamp": "2024-03-15T10:00:00Z"}


def test_plain_integers_and_booleans_are_typed():
    document = load_text("year: 2023\nok: true\nempty:\n", "a.yaml")
    assert document.data == {"year": 2023, "ok": True, "empty": None}


def test_duplicate_key_names_both_lines():
    document = load_text("name: a\nkind: product\nsummary: b\nname: c\n", "a.yaml")
    assert codes(document) == ["yaml.duplicate_key"]
    problem = document.problems[0]
    assert "dòng 1" in problem.message
    assert "dòng 4" in problem.message
    assert problem.line == 4


def test_duplicate_key_lines_two_and_four():
    document = load_text("owner:\n  name: A\n  type: enterprise\n  name: B\n", "a.yaml")
    problem = document.problems[0]
    assert problem.code == "yaml.duplicate_key"
    assert problem.path == "owner.name"
    assert "dòng 2" in problem.message and "dòng 4" in problem.message


def test_duplicate_key_deep_inside_list():
    document = load_text("deployments:\n  - user: A\n    since: '2020'\n    user: B\n", "a.yaml")
    assert codes(document) == ["yaml.duplicate_key"]
    assert document.problems[0].path == "deployments[0].user"


@pytest.mark.parametrize("text", [
    "a: &anchor [1, 2]\nb: *anchor\n",
    "a: &x 1\n",
    "a: [*x]\n",
])
def test_anchors_and_aliases_refused(text):
    document = load_text(text, "a.yaml")
    assert document.data is None
    assert codes(document)[-1] in ("yaml.anchor", "yaml.syntax")
    assert not document.ok


def test_alias_bomb_refused_without_expansion():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 9):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}]")
    document = load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert document.data is None
    assert codes(document) == ["yaml.anchor"]


def test_python_tag_refused():
    document = load_text("a: !!python/object:os.system foo\n", "a.yaml")
    assert codes(document) == ["yaml.tag"]


def test_nfd_text_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", "Công ty Hòa Bình")
    document = load_text(f"name: {nfd}\n", "a.yaml")
    assert document.data["name"] == unicodedata.normalize("NFC", "Công ty Hòa Bình")


def test_leading_bom_in_value_removed():
    document = load_text('title: "\ufeffTên sản phẩm"\n', "a.yaml")
    assert document.data["title"] == "Tên sản phẩm"
    assert document.problems == []


def test_leading_bom_of_file_removed():
    document = load_bytes("\ufeffname: A\n".encode("utf-8"), "a.yaml")
    assert document.data == {"name": "A"}


def test_only_invisible_characters_is_empty():
    document = load_text('name: "\u200b\u200d"\n', "a.yaml")
    assert codes(document) == ["text.empty_invisible"]
    assert "trống" in document.problems[0].message


def test_invisible_character_inside_name_refused():
    document = load_text('name: "Sản\u200bphẩm"\n', "a.yaml")
    assert codes(document) == ["text.invisible"]
    assert "U+200B" in document.problems[0].message


def test_direction_override_refused_everywhere():
    document = load_text('description:\n  vi: "abc\u202edcba"\n', "a.yaml", is_markdown=lambda path: True)
    assert codes(document) == ["text.direction"]


def test_joiner_allowed_in_markdown():
    document = load_text('description:\n  vi: "Gia đình 👨\u200d👩\u200d👧"\n', "a.yaml", is_markdown=lambda path: True)
    assert document.problems == []


def test_control_character_refused_with_position():
    document = load_text("name: a\nsummary: b\x07c\n", "a.yaml")
    assert codes(document) == ["file.control_character"]
    assert (document.problems[0].line, document.problems[0].column) == (2, 11)


def test_invalid_utf8_refused():
    document = load_bytes(b"name: \xff\xfe\n", "a.yaml")
    assert codes(document) == ["file.not_utf8"]


def test_oversized_file_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.truncate(8 * 1024 * 1024)

    def refuse_open(*args, **kwargs):
        raise AssertionError("the oversized file was opened")

    monkeypatch.setattr(yamlread, "open", refuse_open, raising=False)
    document = load_file(path)
    assert codes(document) == ["file.too_large"]
    assert "512 KB" in document.problems[0].message
    assert "8,0 MB" in document.problems[0].message


def test_tab_indentation_explained():
    document = load_text("owner:\n\tname: A\n", "a.yaml")
    assert codes(document) == ["yaml.syntax"]
    assert "Tab" in document.problems[0].message


def test_empty_file_reported():
    assert codes(load_text("", "a.yaml")) == ["yaml.empty"]
    assert codes(load_text("# chỉ có chú thích\n", "a.yaml")) == ["yaml.empty"]


def test_second_document_refused():
    document = load_text("a: 1\n---\nb: 2\n", "a.yaml")
    assert codes(document) == ["yaml.multiple_documents"]


def test_positions_recorded_for_nested_values():
    document = load_text("owner:\n  type: enterprise\n  tax_code: '0100109106'\n", "a.yaml")
    assert document.position(("owner", "tax_code")) == (3, 13)
    assert document.key_position(("owner", "tax_code")) == (3, 3)


def test_escaped_control_characters_refused():
    for escape in ("\\0", "\\e", "\\x07"):
        document = load_text(f'name: "DHIS2{escape}"\n', "a.yaml")
        assert codes(document) == ["text.control_character"], escape


def test_unicode_line_separator_refused():
    document = load_text("name: a\u2028b\n", "a.yaml")
    assert codes(document) == ["file.control_character"]
    assert "U+2028" in document.problems[0].message


def test_invalid_escape_explained_in_vietnamese():
    document = load_text('name: "\\ud800"\n', "a.yaml")
    assert codes(document) == ["yaml.syntax"]
    assert "mã thoát" in document.problems[0].message


def test_directory_named_yaml_refused(tmp_path):
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    document = load_file(folder)
    assert codes(document) == ["file.not_regular"]


def test_symlink_refused_unread(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: s3cr3t\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(secret)
    document = load_file(link)
    assert codes(document) == ["file.symlink"]
    assert document.data is None
    assert "s3cr3t" not in document.problems[0].as_text()


def test_unreadable_file_reported(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    def refuse_open(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yamlread, "open", refuse_open, raising=False)
    document = load_file(path)
    assert codes(document) == ["file.unreadable"]
    assert "Permission denied" in document.problems[0].message
