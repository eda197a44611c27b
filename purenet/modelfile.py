"""The model file: one format that purenet and fastnet both read and write.

The layout is safetensors (readable by the `safetensors` package too):

    8 bytes      N, the header length, unsigned little-endian
    N bytes      UTF-8 JSON: {name: {"dtype": "F64" | "F32", "shape": [...],
                              "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}}
    the rest     every tensor's raw little-endian bytes in C order, at its offsets

The data set cache (purenet.data.cache) uses the same layout with U8 tensors. The metadata names
the format, holds the network's settings as JSON and the SHA-256 of the data,
so a damaged file is refused rather than loaded with wrong numbers. Reading never executes
anything from the file (no pickle), and every offset and shape is checked before it is used.
Saving writes a temporary file beside the target and renames it over the target, so a crash
mid-save leaves the old file whole.
"""
from __future__ import annotations

import array
import glob
import json
import os
import struct
import sys
import tempfile

from .checksum import sha256_hex
from .errors import ModelFileError

FORMAT = "purenet-fastnet-model"
VERSION = "1"
DTYPES = {"F64": "d", "F32": "f", "U8": "B"}  # safetensors dtype -> array typecode
ITEMSIZE = {"F64": 8, "F32": 4, "U8": 1}
MAX_HEADER = 16 * 1024 * 1024


def values_to_bytes(values, dtype="F64"):
    """A flat list of floats -> little-endian bytes."""
    packed = array.array(DTYPES[dtype], values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def bytes_to_values(raw, dtype="F64"):
    """Little-endian bytes -> a flat list of floats."""
    unpacked = array.array(DTYPES[dtype])
    unpacked.frombytes(raw)
    if sys.byteorder == "big":
        unpacked.byteswap()
    return unpacked.tolist()


def check_writable(path, what="file", error=ValueError):
    """Raise `error` now if `path` could not be written (before hours of training): ModelFileError
    for a model, checkpoint or cache file, a plain ValueError for any other."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise error(f"cannot write the {what} {path!r}: the folder {folder!r} does not exist")
    if os.path.isdir(path):
        raise error(f"cannot write the {what} {path!r}: it is a folder; give a file name")
    if not os.access(folder, os.W_OK):
        raise error(f"cannot write the {what} {path!r}: no permission to write in {folder!r}")
    return folder


def write_atomically(path, chunks, what="file", error=ValueError):
    """Write the byte strings `chunks` to `path` through a temporary file and a rename, or raise
    `error` (see check_writable) saying why it cannot be written.

    The temporary file is `.NAME.*.part` beside the target; one left by a process killed
    mid-write is removed by the next write of the same target."""
    path = os.fspath(path)
    folder = check_writable(path, what, error)
    prefix = f".{os.path.basename(path)}."
    for stale in glob.glob(os.path.join(glob.escape(folder), glob.escape(prefix) + "*.part")):
        try:
            os.unlink(stale)
        except OSError:
            pass
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=folder)
    except OSError as failure:
        raise error(f"cannot write the {what} {path!r}: {failure.strerror}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as failure:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(failure, OSError):
            raise error(f"cannot write the {what} {path!r}: {failure.strerror}") from None
        raise


def save(path, metadata, tensors, what="model file"):
    """Write a model file.

    metadata: a JSON-serialisable dict (stored as JSON text under "config").
    tensors: {name: (dtype, shape, raw little-endian bytes)}, written in the order given.
    """
    header = {}
    offset = 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    header["__metadata__"] = {
        "format": FORMAT,
        "version": VERSION,
        "config": json.dumps(metadata, allow_nan=False, sort_keys=True),
        "sha256": sha256_hex(*(raw for _, _, raw in tensors.values())),
    }
    text = json.dumps(header, allow_nan=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # safetensors pads the header to 8 bytes
    chunks = [struct.pack("<Q", len(text)), text]
    chunks.extend(raw for _, _, raw in tensors.values())
    write_atomically(path, chunks, what, ModelFileError)


def load(path, what="model file"):
    """Read a model file -> (metadata dict, {name: (dtype, shape, raw bytes as a memoryview)}).

    Raises ModelFileError for a missing, empty, truncated, damaged or foreign file, calling the
    file `what` (a data set cache has the same layout).
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            blob = f.read()
    except FileNotFoundError:
        raise ModelFileError(f"no {what} at {path!r}: check the path") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path!r} is a folder, not a {what}") from None
    except OSError as error:
        raise ModelFileError(f"cannot read the {what} {path!r}: {error.strerror}") from None
    return parse(blob, path, what)


def parse(blob, path="<bytes>", what="model file"):
    """Decode the bytes of a model file (see load)."""

    def bad(reason):
        return ModelFileError(f"{path!r} is not a valid {what}: {reason}")

    if len(blob) == 0:
        raise bad("the file is empty")
    if len(blob) < 8:
        raise bad(f"it has only {len(blob)} bytes (truncated?)")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER or 8 + n > len(blob):
        raise bad(f"its header claims {n} bytes but the file has {len(blob) - 8} after the length "
                  f"(truncated, or another format)")
    try:
        header = json.loads(blob[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("its header is not JSON (another format?)") from None
    if not isinstance(header, dict):
        raise bad("its header is not a JSON object")
    meta = header.pop("__metadata__", None)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise bad(f"it was not written by purenet or fastnet (no {FORMAT!r} metadata)")
    if meta.get("version") != VERSION:
        raise bad(f"format version {meta.get('version')!r}, this library reads version {VERSION}")
    data = memoryview(blob)[8 + n:]  # views, not copies: a data set cache is 55 MB
    if sha256_hex(data) != meta.get("sha256"):
        raise bad("its data does not match its checksum (damaged or truncated)")
    try:
        metadata = json.loads(meta.get("config", ""))
    except (TypeError, ValueError):
        raise bad("its settings are not JSON") from None
    if not isinstance(metadata, dict):
        raise bad("its settings are not a JSON object")
    tensors = {}
    for name, info in header.items():
        tensors[name] = _tensor(name, info, data, bad)
    return metadata, tensors


def _tensor(name, info, data, bad):
    if not isinstance(info, dict):
        raise bad(f"tensor {name!r} has no description")
    dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
    if dtype not in DTYPES:
        raise bad(f"tensor {name!r} has dtype {dtype!r}; only {', '.join(DTYPES)} are read")
    if not (isinstance(shape, list) and all(type(d) is int and d >= 0 for d in shape)):
        raise bad(f"tensor {name!r} has an invalid shape {shape!r}")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)):
        raise bad(f"tensor {name!r} has invalid data offsets {offsets!r}")
    begin, end = offsets
    count = 1
    for d in shape:
        count *= d
    if not 0 <= begin <= end <= len(data) or end - begin != count * ITEMSIZE[dtype]:
        raise bad(f"tensor {name!r} of shape {shape} does not fit its offsets {offsets}")
    return dtype, tuple(shape), data[begin:end]


def layer_shapes(sizes):
    """[(weight shape, bias shape), ...] of a network with these layer sizes."""
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes, sizes[1:])]


def pair_entries(tensors, prefix, shapes, path="<model>"):
    """The tensors prefix.K.weight and prefix.K.bias, checked against shapes -> [(W entry, b entry)]."""
    pairs = []
    for k, (weight_shape, bias_shape) in enumerate(shapes):
        pair = []
        for name, shape in ((f"{prefix}.{k}.weight", weight_shape), (f"{prefix}.{k}.bias", bias_shape)):
            if name not in tensors:
                raise ModelFileError(f"{path!r}: the tensor {name!r} is missing")
            if tensors[name][0] not in ("F64", "F32"):
                raise ModelFileError(f"{path!r}: {name} holds {tensors[name][0]}, expected F64 or F32")
            if tensors[name][1] != tuple(shape):
                raise ModelFileError(f"{path!r}: {name} has shape {list(tensors[name][1])}, "
                                     f"but the network needs {list(shape)}")
            pair.append(tensors[name])
        pairs.append(tuple(pair))
    return pairs


def network_entries(metadata, tensors, path="<model>"):
    """Check a file's layer sizes and weight tensors -> (sizes, [(W entry, b entry), ...])."""
    sizes = metadata.get("sizes")
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(type(s) is int and s >= 1 for s in sizes)):
        raise ModelFileError(f"{path!r}: the layer sizes {sizes!r} in the file are invalid")
    return sizes, pair_entries(tensors, "layers", layer_shapes(sizes), path)
