"""Pelican plugin that builds the public catalogue of published products.

Register it in the Pelican settings with `PLUGINS = ["plugins.portal_catalogue"]` (or the
imported module). It adds `CatalogueGenerator` through the `get_generators` signal and installs
gettext translations and the catalogue's filters into every generator's Jinja environment
through `generator_init`.
"""

from __future__ import annotations

from pelican import signals

from .generator import CatalogueGenerator
from .rendering import configure_environment, render_product_page

__all__ = ["CatalogueGenerator", "register", "render_product_page"]


def _add_generator(pelican):
    return CatalogueGenerator


def _configure_generator(generator) -> None:
    configure_environment(generator.env, generator.settings)


def register() -> None:
    signals.get_generators.connect(_add_generator)
    signals.generator_init.connect(_configure_generator)
