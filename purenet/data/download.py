"""Downloading the four IDX files of a data set, verified before anything is kept.

Each file is tried on each mirror in turn. A file is accepted only when it arrived whole and its
checksum matches (the .gz file's published SHA-256 where known, else the SHA-256 of its payload);
nothing is written to disk here, so a failed or partial download leaves no trace.
"""
from __future__ import annotations

from ..checksum import sha256_hex
from ..errors import DataError
from . import idx
from .catalog import FILE_NAMES

TIMEOUT = 30.0


def fetch(url, timeout=TIMEOUT):
    """The bytes at `url`; DataError if the server fails, stops early or cannot be reached."""
    # Imported here, not with the module: urllib loads ssl, whose OpenSSL binding slows every
    # loop of a PyPy process that only reads the cache (see checksum.py).
    import http.client
    import socket
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            expected = response.headers.get("Content-Length")
            blob = response.read()
    except urllib.error.HTTPError as error:
        raise DataError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise DataError(f"{url}: cannot connect ({error.reason})") from None
    except http.client.IncompleteRead as error:
        raise DataError(f"{url}: the server stopped after {len(error.partial)} bytes") from None
    except (socket.timeout, TimeoutError, ConnectionError, http.client.HTTPException, OSError) as error:
        raise DataError(f"{url}: the download failed ({error})") from None
    if expected is not None and expected.isdigit() and int(expected) != len(blob):
        raise DataError(f"{url}: the server stopped after {len(blob)} of {expected} bytes")
    return blob


def fetch_part(part, info, mirrors, log=None):
    """One of the four files from the first mirror that gives a verified copy -> (dims, payload)."""
    file_name = FILE_NAMES[part] + ".gz"
    magic = idx.IMAGES_MAGIC if part.endswith("images") else idx.LABELS_MAGIC
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + file_name
        if log:
            log(f"downloading {url}")
        try:
            blob = fetch(url)
            archive_sha = info["archives"].get(part)
            if archive_sha and sha256_hex(blob) != archive_sha:
                raise DataError(f"{url}: the file's SHA-256 does not match the published one "
                                f"(damaged or not the real file)")
            dims, payload = idx.parse(idx.unpack(blob, url), magic, url)
            payload_sha = info["payloads"].get(part)
            if not archive_sha and payload_sha and sha256_hex(payload) != payload_sha:
                raise DataError(f"{url}: the data's SHA-256 does not match the published one")
            return dims, payload
        except DataError as error:
            failures.append(str(error))
            if log:
                log(f"  {error}")
    raise DataError(f"could not download {file_name}:\n  " + "\n  ".join(failures))


def download(info, mirrors, log=None):
    """All four files -> {part: (dims, payload)}; raises DataError if any cannot be had verified."""
    return {part: fetch_part(part, info, mirrors, log) for part in FILE_NAMES}
