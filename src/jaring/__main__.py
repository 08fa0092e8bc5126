"""``python -m jaring`` runs the CLI."""

from jaring.cli import main

main()
