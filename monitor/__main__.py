"""`python -m rasd.monitor …` is the same as `rasd …`."""

from rasd.monitor.cli import main

main()
