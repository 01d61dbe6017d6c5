"""Importers that turn other registries' data into proposals and evaluation records."""

from .dpga import ImportReport, NominationResult, import_registry

__all__ = ["ImportReport", "NominationResult", "import_registry"]
