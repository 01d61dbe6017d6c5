"""Fingerprints of the code and libraries that produce a cached result.

A cache entry is valid only while the code that made it is unchanged, so every build cache mixes
the versions of the libraries involved and the Python version into its key.
"""

from __future__ import annotations

import sys
from importlib import metadata


def add_library_versions(digest, packages: tuple[str, ...]) -> None:
    """Feed each package's installed version (or "?" when absent) and Python's version into `digest`."""
    for package in packages:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "?"
        digest.update(f"{package}={version}\0".encode())
    digest.update(sys.version.encode())
