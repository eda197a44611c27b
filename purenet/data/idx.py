"""MNIST's IDX file format, read with the standard library.

    bytes 0-1   0x00 0x00
    byte  2     the type of the values: 0x08 for unsigned bytes (the only one MNIST uses)
    byte  3     the number of dimensions d
    4 * d       each dimension's size, a big-endian uint32
    the rest    the values in C order: images are 2051 = 0x0803 (n, 28, 28), labels 2049 = 0x0801 (n,)

A file ending in .gz is decompressed first.
"""
from __future__ import annotations

import gzip
import os
import struct
import zlib

from ..errors import DataError

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
UNSIGNED_BYTE = 0x08


def encode(dims, payload):
    """The bytes of an IDX file of unsigned bytes with these dimensions."""
    return struct.pack(f">HBB{len(dims)}I", 0, UNSIGNED_BYTE, len(dims), *dims) + bytes(payload)


def parse(blob, magic, name="<bytes>"):
    """IDX bytes -> (dims, payload), checking the magic number and that the sizes fit the length."""
    what = "images" if magic == IMAGES_MAGIC else "labels"
    if len(blob) < 4:
        raise DataError(f"{name}: only {len(blob)} bytes, too short for an IDX file (truncated?)")
    zero, kind, ndim = struct.unpack(">HBB", blob[:4])
    if zero != 0 or kind != UNSIGNED_BYTE:
        raise DataError(f"{name}: it starts with {blob[:4].hex()}, which is not an IDX file of unsigned "
                        f"bytes (expected the magic number {magic} = {magic:08x} for {what})")
    found = kind << 8 | ndim
    if found != magic:
        raise DataError(f"{name}: magic number {found} says this is not an IDX {what} file "
                        f"(expected {magic}); are the images and labels files swapped?")
    header = 4 + 4 * ndim
    if len(blob) < header:
        raise DataError(f"{name}: the header is cut off after {len(blob)} bytes (truncated file)")
    dims = struct.unpack(f">{ndim}I", blob[4:header])
    expected = 1
    for d in dims:
        expected *= d
    got = len(blob) - header
    if got != expected:
        shape = " x ".join(map(str, dims))
        raise DataError(f"{name}: its sizes ({shape}) need {expected} bytes of data but it holds {got}"
                        f"{' (truncated file)' if got < expected else ' (extra bytes at the end)'}")
    return dims, blob[header:]


def unpack(blob, name):
    """Decompress gzip bytes (files ending in .gz), with a clear error for a damaged archive."""
    try:
        return gzip.decompress(blob)
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"{name}: the gzip data is damaged or truncated ({error}); "
                        f"download or copy the file again") from None


def read(path, magic):
    """Read an IDX file (raw or .gz) -> (dims, payload bytes)."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            blob = f.read()
    except OSError as error:
        raise DataError(f"cannot read {path!r}: {error.strerror}") from None
    if path.endswith(".gz"):
        blob = unpack(blob, path)
    return parse(blob, magic, path)
