"""Pelican plugins of the public catalogue."""
