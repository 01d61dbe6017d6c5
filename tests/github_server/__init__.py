"""A local stand-in for GitHub's REST API, for the review bot's tests (loopback only)."""

from .server import GitHubServer, RepoState, openapi_document, webhook_example  # noqa: F401
