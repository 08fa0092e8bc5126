"""The web app and REST API (issue 7)."""
