"""`python -m monitor …` is the same as `rasd …`."""

from monitor.cli import main

main()
