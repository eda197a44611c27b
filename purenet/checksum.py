"""SHA-256, the checksum of data sets, downloads and model files, chosen so as not to slow PyPy.

    sha256(data).hexdigest()        sha256() then .update(chunk) ... .hexdigest()

hashlib computes SHA-256 through OpenSSL. On PyPy, loading that binding (a cffi module with
callbacks from C) switches the interpreter into thread-aware mode for the rest of the process:
every JIT-compiled loop then also counts down a shared ticker in memory, and purenet trains
about 1.3x slower. PyPy's own SHA-256 (_sha256, written in Python) gives the same digests
without that, at about 30 MB/s: 2 s to check the MNIST cache, once per process.
"""
from __future__ import annotations

import sys

if sys.implementation.name == "pypy":
    from _sha256 import sha256
else:
    from hashlib import sha256

__all__ = ["sha256"]
