"""Write proposals and evaluation records as YAML that reads back exactly as it was written.

The output is produced by PyYAML's safe dumper, which quotes every string that a YAML 1.1
resolver would turn into another type (`0100000007`, `NO`, `2024-05-01`, `1.10`). The portal's
own reader types fewer scalars than that, so the quoting is a superset of what it needs. Every
text is still read back through `portal.yamlread` before the file is written, and a difference
stops the write.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

import yaml

from ..yamlread import load_bytes

log = logging.getLogger(__name__)

PROPOSAL_HEADER = "# yaml-language-server: $schema=../../schema/proposal.schema.json\n"
RECORD_HEADER = "# yaml-language-server: $schema=../../schema/evaluation.schema.json\n"

# Long one-line texts are folded at this column. The reader joins the lines back with one space.
LINE_WIDTH = 100


class RoundTripError(Exception):
    """Raised when YAML text does not read back as the data it was made from."""


class _Dumper(yaml.SafeDumper):
    """A safe dumper that never writes anchors and writes multi-line text as literal blocks."""

    def ignore_aliases(self, data) -> bool:
        return True


# Text that starts like a number: YAML 1.2 tools (editors, linters) would read `0100109106` as the
# integer 100109106, so such text is always written in double quotes.
_NUMBER_LIKE = re.compile(r"^[-+.]?[0-9]")


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    if _NUMBER_LIKE.match(text):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_Dumper.add_representer(str, _represent_text)


def dump_yaml(data: dict, header: str) -> str:
    """Return `data` as YAML text below the one-line `header` comment, keys in insertion order."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=LINE_WIDTH,
        indent=2,
    )
    return header + body


def check_round_trip(raw: bytes, data: dict, display_name: str) -> None:
    """Raise RoundTripError unless `raw` reads back through `portal.yamlread` as `data`."""
    document = load_bytes(raw, display_name)
    if document.problems:
        details = "; ".join(problem.as_text() for problem in document.problems)
        raise RoundTripError(f"{display_name}: the reader reported problems: {details}")
    if document.data != data:
        raise RoundTripError(f"{display_name}: the data read back differs from the data written")


def write_atomically(target: Path, raw: bytes) -> None:
    """Write `raw` to a temporary file beside `target`, then rename it over `target`.

    A crash leaves either the old file or the new one, never a part of either.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file readable by its owner only; give it the mode a plain write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_yaml(data: dict, header: str, display_name: str) -> bytes:
    """Dump `data` to UTF-8 bytes and check that they read back identically."""
    raw = dump_yaml(data, header).encode("utf-8")
    check_round_trip(raw, data, display_name)
    return raw


def write_yaml(target: Path, data: dict, header: str, display_name: str | None = None) -> None:
    """Dump `data`, check that it reads back identically, then write it atomically to `target`."""
    raw = render_yaml(data, header, display_name or str(target))
    write_atomically(target, raw)
    log.debug("wrote %s (%d bytes)", target, len(raw))
