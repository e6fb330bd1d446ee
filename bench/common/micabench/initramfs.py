# SPDX-License-Identifier: BSD-3-Clause
"""Write a "newc" cpio archive (the initramfs format Linux unpacks).

Writing the archive ourselves lets it hold device nodes (/dev/console)
without root or mknod, and makes it byte-for-byte reproducible (fixed
mtimes and inode numbers).
"""

import stat

_TRAILER = "TRAILER!!!"


class Newc:
    def __init__(self):
        self._entries = []

    def dir(self, path, mode=0o755):
        self._entries.append((path, stat.S_IFDIR | mode, b"", 0))

    def file(self, path, data, mode=0o644):
        self._entries.append((path, stat.S_IFREG | mode, data, 0))

    def symlink(self, path, target):
        self._entries.append((path, stat.S_IFLNK | 0o777,
                              target.encode(), 0))

    def chardev(self, path, major, minor, mode=0o600):
        self._entries.append((path, stat.S_IFCHR | mode, b"",
                              (major, minor)))

    def tobytes(self):
        out = bytearray()
        ino = 1
        for path, mode, data, dev in self._entries + [(_TRAILER, 0, b"", 0)]:
            name = path.lstrip("/").encode() + b"\0"
            rmaj, rmin = dev if dev else (0, 0)
            nlink = 2 if stat.S_ISDIR(mode) else 1
            hdr = "070701" + "".join("%08X" % v for v in (
                ino if path != _TRAILER else 0, mode, 0, 0, nlink, 0,
                len(data), 0, 0, rmaj, rmin, len(name), 0))
            out += hdr.encode() + name
            out += b"\0" * (-len(out) % 4)
            out += data
            out += b"\0" * (-len(out) % 4)
            ino += 1
        out += b"\0" * (-len(out) % 512)
        return bytes(out)
