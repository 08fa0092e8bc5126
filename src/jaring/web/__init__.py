"""The web app and REST API: pages, the JSON API, sessions and the core they share."""
