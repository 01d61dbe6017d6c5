"""Pelican plugin for the public side of the catalogue: open data, search, statistics, tracking.

Register it after `plugins.portal_catalogue`, whose catalogue it reads from the shared context.
"""

from __future__ import annotations

from pelican import signals

from .generator import PublicGenerator

__all__ = ["PublicGenerator", "register"]


def _add_generator(pelican):
    return PublicGenerator


def register() -> None:
    signals.get_generators.connect(_add_generator)
