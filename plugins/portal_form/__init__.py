"""Pelican plugin that writes the web submission form "Gửi đề xuất" and the data it loads.

The form itself is built in the browser from the published proposal schema by
`theme/static/form/form.js`. This plugin writes the page (`gui-de-xuat/index.html`, from the
theme's `submit_form.html`) and `gui-de-xuat/du-lieu.json`: the 34 provinces and the former names
that were merged, the country codes, the message catalogue shared with the command line, and the
settings the form needs (schema address, GitHub repository).
"""

from __future__ import annotations

from pelican import signals

from .generator import FORM_DATA_URL, FORM_URL, SubmitFormGenerator, form_data

__all__ = ["FORM_DATA_URL", "FORM_URL", "SubmitFormGenerator", "form_data", "register"]


def _add_generator(pelican):
    return SubmitFormGenerator


def register() -> None:
    signals.get_generators.connect(_add_generator)
