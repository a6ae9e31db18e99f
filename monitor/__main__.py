"""`python -m rasd.monitor …` is the same as `rasd …`."""

from rasd.monitor.start import main

main()
