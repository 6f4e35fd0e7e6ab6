"""`python -m aaas ...` is the `aaas` command."""

from aaas.cli import main

main()
