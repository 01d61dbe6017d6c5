"""The YAML writer used by the importer and `portal new`: number-like text quoted, files readable."""

from __future__ import annotations

import os
import stat

from portal.importer.yamlwrite import dump_yaml, write_yaml


def test_number_like_text_double_quoted():
    text = dump_yaml({"tax_code": "0100109106", "phone": "+84 24 3123 4567", "name": "Công ty"}, "")
    assert 'tax_code: "0100109106"' in text
    assert 'phone: "+84 24 3123 4567"' in text
    assert "name: Công ty" in text


def test_written_file_follows_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        target = tmp_path / "de-xuat.yaml"
        write_yaml(target, {"name": "A"}, "")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
