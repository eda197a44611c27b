"""SHA-256, the checksum of data sets, downloads and model files, computed so as not to slow PyPy.

    sha256_hex(data)                 -> the hex digest of bytes, a bytearray or a memoryview
    sha256_hex(chunk, chunk, ...)    -> that of the chunks one after the other

hashlib computes SHA-256 through OpenSSL. On PyPy, loading that binding (a cffi module that C
may call back into) switches the interpreter into thread-aware mode for the rest of the process:
every JIT-compiled loop then also counts down a shared ticker in memory, and purenet trains
about 1.3-1.4x slower. So on PyPy this module never imports hashlib. Small inputs (model files) go
through PyPy's own SHA-256, written in Python (_sha256, about 30 MB/s); large ones (the 55 MB
MNIST cache) through hashlib in a child PyPy process, 0.4 s instead of 2.
"""
from __future__ import annotations

import subprocess
import sys

PYPY = sys.implementation.name == "pypy"
if PYPY:
    from _sha256 import sha256 as new_sha256  # PyPy's own, in Python: no OpenSSL
else:
    from hashlib import sha256 as new_sha256

CHILD_ABOVE = 8 << 20  # bytes: below this, PyPy's own SHA-256 is quicker than starting a child
CHILD = ("import hashlib, sys\n"
         "digest = hashlib.sha256()\n"
         "for block in iter(lambda: sys.stdin.buffer.read(1 << 20), b''):\n"
         "    digest.update(block)\n"
         "print(digest.hexdigest())\n")


def sha256_hex(*chunks):
    """The SHA-256 of the chunks (bytes, bytearrays or memoryviews) concatenated, in hex."""
    if PYPY and sum(memoryview(chunk).nbytes for chunk in chunks) > CHILD_ABOVE:
        digest = in_child(chunks)
        if digest is not None:
            return digest
    digest = new_sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def in_child(chunks):
    """sha256_hex by hashlib in a child process of this interpreter; None if that fails."""
    if not sys.executable:
        return None
    try:
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    try:
        for chunk in chunks:
            child.stdin.write(chunk)
        child.stdin.close()
    except OSError:
        pass  # the child died: its exit status says so below
    digest = child.stdout.read().decode("ascii", "replace").strip()
    child.stdout.close()
    if child.wait() != 0 or len(digest) != 64:
        return None
    return digest
