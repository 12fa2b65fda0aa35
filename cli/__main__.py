"""``python -m cli`` runs the partnermap command line."""

from cli.main import main

main()
