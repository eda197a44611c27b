"""Fuzzing the file readers: whatever the bytes, only the project's own errors come out.

IDX and CSV readers may raise DataError; model and checkpoint readers ModelFileError. Anything
else (an IndexError, a struct.error, a UnicodeDecodeError, a MemoryError from a huge claimed
size...) would be a bare traceback for the user, and fails these tests.
"""
import gzip
import hashlib
import json
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastnet
import purenet
from purenet import checkpoint, modelfile
from purenet.data import cache, csvfile, idx
from purenet.errors import DataError, ModelFileError

# a few more examples than the profile's: these are cheap (the thorough profile gives 4000)
FUZZ = settings(max_examples=4 * settings().max_examples,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def mutated(valid):
    """Bytes near a valid file: flipped bytes, cut short, or with junk inserted."""
    return st.one_of(
        st.binary(max_size=64),
        st.integers(0, len(valid)).map(lambda cut: valid[:cut]),
        st.lists(st.tuples(st.integers(0, len(valid) - 1), st.integers(0, 255)), min_size=1, max_size=6).map(
            lambda flips: bytes(
                next((value for at, value in flips if at == k), byte) for k, byte in enumerate(valid))),
        st.tuples(st.integers(0, len(valid)), st.binary(min_size=1, max_size=16)).map(
            lambda insert: valid[:insert[0]] + insert[1] + valid[insert[0]:]),
    )


VALID_IMAGES = idx.encode((2, 28, 28), bytes(range(256)) * 6 + bytes(1568 - 1536))
VALID_LABELS = idx.encode((3,), bytes([1, 2, 3]))


@FUZZ
@given(blob=st.one_of(mutated(VALID_IMAGES), mutated(VALID_LABELS)), gzipped=st.booleans())
def test_idx_reader(tmp_path, blob, gzipped):
    for magic in (idx.IMAGES_MAGIC, idx.LABELS_MAGIC):
        path = tmp_path / ("f.gz" if gzipped else "f")
        path.write_bytes(gzip.compress(blob) if gzipped else blob)
        try:
            idx.read(path, magic)
        except DataError:
            pass
    cut = tmp_path / "cut.gz"  # a gzip stream that ends early
    cut.write_bytes(gzip.compress(blob)[:-3])
    try:
        idx.read(cut, idx.IMAGES_MAGIC)
    except DataError:
        pass


HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))
ROW = "7," + ",".join(str(i % 256) for i in range(784))


@FUZZ
@given(text=st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.tuples(st.sampled_from([HEADER, HEADER[6:], "a,b,c", ""]),
              st.lists(st.one_of(st.just(ROW), st.just(ROW[2:]), st.text(max_size=40),
                                 st.builds(lambda k, v: ROW.replace(",0,", f",{v},", k % 3 + 1),
                                           st.integers(0, 9), st.sampled_from(["-1", "256", "x", "1e3", " ", "nan"]))),
                       max_size=4)).map(lambda parts: "\n".join([parts[0], *parts[1]]) + "\n"),
))
def test_csv_reader(tmp_path, text):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    try:
        labels, pixels, n = csvfile.read(path)
    except DataError:
        return
    assert len(pixels) == 784 * n and (labels is None or len(labels) == n)


def valid_model():
    path_free = purenet.Network([3, 2, 2], seed=0)
    return modelfile_bytes(path_free.config(), path_free.to_tensors("layers", path_free.get_params()))


def modelfile_bytes(metadata, tensors):
    header, data, offset = {}, b"", 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    header["__metadata__"] = {"format": modelfile.FORMAT, "version": modelfile.VERSION,
                              "config": json.dumps(metadata), "sha256": hashlib.sha256(data).hexdigest()}
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


VALID_MODEL = valid_model()


def load_everything(path):
    """Every reader of model-format files, each allowed only its own error."""
    for read in (purenet.Network.load, fastnet.Network.load, lambda p: checkpoint.load(purenet, p)):
        try:
            read(path)
        except ModelFileError:
            pass
    try:
        cache.load(path)
    except DataError:
        pass


@FUZZ
@given(blob=mutated(VALID_MODEL))
def test_model_reader_on_damaged_bytes(tmp_path, blob):
    (tmp_path / "m.safetensors").write_bytes(blob)
    load_everything(tmp_path / "m.safetensors")


json_values = st.recursive(st.none() | st.booleans() | st.integers(-3, 10**12) | st.floats() | st.text(max_size=5),
                           lambda inner: (st.lists(inner, max_size=3)
                                          | st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                           max_leaves=8)


@FUZZ
@given(sizes=st.one_of(json_values, st.lists(st.integers(-1, 4), max_size=4)),
       kind=st.sampled_from([None, "checkpoint", "dataset"]),
       extra=st.dictionaries(st.sampled_from(["optimizer", "history", "settings", "dtype", "activation", "l2"]),
                             json_values, max_size=3),
       tensors=st.dictionaries(
           st.sampled_from(["layers.0.weight", "layers.0.bias", "layers.1.weight", "optimizer.state.0.weight",
                            "best.0.weight", "train.images", "train.labels"]),
           st.tuples(st.sampled_from(["F64", "F32", "U8", "I64"]), st.lists(st.integers(0, 4), max_size=3)),
           max_size=5))
def test_model_reader_on_well_formed_but_wrong_files(tmp_path, sizes, kind, extra, tensors):
    """Files that pass the checksum, with settings and tensors that do not make a network."""
    metadata = dict({"sizes": sizes, "activation": "relu", "output": "softmax", "loss": "cross_entropy"}, **extra)
    if kind:
        metadata["kind"] = kind
    built = {}
    for name, (dtype, shape) in tensors.items():
        count = 1
        for d in shape:
            count *= d
        built[name] = (dtype, shape, bytes(count * modelfile.ITEMSIZE.get(dtype, 8)))
    (tmp_path / "m.safetensors").write_bytes(modelfile_bytes(metadata, built))
    load_everything(tmp_path / "m.safetensors")
