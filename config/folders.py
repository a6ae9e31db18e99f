"""What is wrong with a folder or file Rasd writes (the outbox, the Atom feeds' folder, an export, the store's
folder, the demo's or `rasd init`'s folder), in words the reader's catalog has, not the OS's English
("OSError: Read-only file system" was printed inside a French line).

Here, in config, which every stage may import (alerts words a delivery's failure with it, storage a store
whose folder cannot be made, monitor a command's refusal): one wording for every stage that writes a file.
Every errno writing a file or making a folder can meet on Linux has its words; any other is still one line
in the reader's language, with the errno's name (`ENOLINK`) for a technician.
"""

from __future__ import annotations

import errno

from rasd.config.told import Told, telling

_WORDS = {
    # a quota used up reads the same to the reader: no more room there
    (errno.ENOSPC, errno.EDQUOT): telling.gettext("its disk is full"),
    (errno.EFBIG,): telling.gettext(
        "the file is larger than its disk accepts (a USB stick formatted FAT32 stops at 4 GB)"
    ),
    (errno.EROFS,): telling.gettext("its disk or mount is read-only"),
    (errno.EACCES, errno.EPERM): telling.gettext("no permission to write there"),
    (errno.ENOTDIR, errno.EEXIST): telling.gettext("a file stands where a folder should be"),
    (errno.ENOENT,): telling.gettext("its folder does not exist (removed, or a disk no longer mounted?)"),
    (errno.EISDIR,): telling.gettext("a folder has that name"),
    (errno.ELOOP,): telling.gettext("its path goes round in symbolic links (a link leading back to itself)"),
    (errno.ENAMETOOLONG,): telling.gettext("its name is too long for the disk"),
    (errno.EMFILE, errno.ENFILE): telling.gettext(
        "too many files are open (the limit of Rasd's process or of the system: ulimit -n)"
    ),
    (errno.EIO,): telling.gettext("the disk reported a read or write error (failing, or unplugged?)"),
    # a name a FAT or NTFS disk refuses (":", "?", "*" on a USB stick) is EINVAL
    (errno.EINVAL,): telling.gettext("its name holds characters its disk does not accept (: ? * on a USB stick)"),
    (errno.ESTALE, errno.ENOTCONN): telling.gettext("its network or remote folder is no longer connected"),
    (errno.EBUSY,): telling.gettext("the system keeps it busy (a mount point?)"),
}
_SAID = {number: told for numbers, told in _WORDS.items() for number in numbers}


def folder_fault(error: OSError) -> Told:
    """The reader's words for what `error` says of the folder or file written; an errno without its own words
    as "the system refused it (ENAME)"."""
    if error.errno is not None and error.errno in _SAID:
        return _SAID[error.errno]
    code = errno.errorcode.get(error.errno, f"errno {error.errno}") if error.errno is not None else type(error).__name__
    return telling.gettext("the system refused it (%(code)s)", code=code)


__all__ = ["folder_fault"]
