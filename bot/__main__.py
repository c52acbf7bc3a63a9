"""``python -m bot`` runs the ``marketing-bot`` command."""

from bot.cli import main

main()
