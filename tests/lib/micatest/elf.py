# SPDX-License-Identifier: BSD-3-Clause
"""Just enough ELF64 and Multiboot 1 to check a boot image's headers."""

import struct

PT_LOAD = 1
PT_NOTE = 4
PF_X = 1
MB1_MAGIC = 0x1BADB002
MB1_SEARCH = 8192


class ElfError(Exception):
    pass


class Segment:
    def __init__(self, ptype, flags, offset, vaddr, paddr, filesz, memsz):
        self.type = ptype
        self.flags = flags
        self.offset = offset
        self.vaddr = vaddr
        self.paddr = paddr
        self.filesz = filesz
        self.memsz = memsz


def segments(data):
    if data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise ElfError("not a little-endian ELF64 file")
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    out = []
    for i in range(phnum):
        f = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        out.append(Segment(f[0], f[1], f[2], f[3], f[4], f[5], f[6]))
    return out


def entry(data):
    return struct.unpack_from("<Q", data, 0x18)[0]


def notes(data):
    """Every note in the PT_NOTE segments: (owner, type, desc bytes)."""
    out = []
    for s in segments(data):
        if s.type != PT_NOTE:
            continue
        pos, end = s.offset, s.offset + s.filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            pos += 12
            name = data[pos:pos + namesz].rstrip(b"\0").decode("latin-1")
            pos += (namesz + 3) & ~3
            desc = data[pos:pos + descsz]
            pos += (descsz + 3) & ~3
            out.append((name, ntype, desc))
    return out


def multiboot_headers(data):
    """Every offset in the first 8 KiB where a Multiboot 1 header with a
    valid checksum starts (aligned or not), as (offset, flags, fields)."""
    out = []
    magic = struct.pack("<I", MB1_MAGIC)
    pos = data.find(magic, 0, MB1_SEARCH)
    while pos >= 0:
        if pos + 12 <= len(data):
            m, flags, csum = struct.unpack_from("<III", data, pos)
            if (m + flags + csum) & 0xffffffff == 0:
                fields = None
                if flags & 0x10000 and pos + 32 <= len(data):
                    fields = struct.unpack_from("<IIIII", data, pos + 12)
                out.append((pos, flags, fields))
        pos = data.find(magic, pos + 1, MB1_SEARCH)
    return out


def file_offset_to_paddr(data, off):
    for s in segments(data):
        if s.type == PT_LOAD and s.offset <= off < s.offset + s.filesz:
            return s.paddr + (off - s.offset)
    return None
