"""What is wrong with a folder or file Rasd writes (the outbox, the Atom feeds' folder, an export, the demo's or
`rasd init`'s folder), in words the reader's catalog has, not the OS's English ("OSError: Read-only file
system" was printed inside a French line).

Here, in config, which every stage may import (alerts words a delivery's failure with it, monitor a command's
refusal): one wording for every stage that writes a file.
"""

from __future__ import annotations

import errno

from rasd.config.told import telling


def folder_fault(error: OSError) -> str:
    """The reader's words for the usual causes; else the OS's own."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return telling.gettext("its disk is full")
    if error.errno == errno.EROFS:
        return telling.gettext("its disk or mount is read-only")
    if error.errno in (errno.EACCES, errno.EPERM):
        return telling.gettext("no permission to write there")
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        return telling.gettext("a file stands where a folder should be")
    return f"{type(error).__name__}: {error.strerror or error}"


__all__ = ["folder_fault"]
