"""The one exception a command raises when it refuses what was asked for a reason the user can fix.

`rasd.monitor.cli.main` prints its message as one line (`rasd: …`) and exits 1, with no traceback. It lives
in a module of its own, importing nothing, so that the command line can catch it without importing the
stages that raise it.
"""


class Refused(Exception):
    """The command cannot run as asked (no database yet, a file in the way, a port taken); the message is
    the one line shown to the user, saying what to do."""
