"""get_params/set_params and save/load: an exact exchange between the packages."""
import os
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fastnet
import purenet
from purenet import checkpoint, modelfile
from strategies import architectures, params_for

PACKAGES = [purenet, fastnet]


def make(package, sizes, seed=0, **settings):
    extra = {"dtype": "float64"} if package is fastnet else {}
    return package.Network(sizes, seed=seed, **settings, **extra)


def as_lists(params):
    return [(np.asarray(W).tolist(), np.asarray(b).tolist()) for W, b in params]


@given(architectures(), st.data())
def test_save_then_load_is_the_identity_across_packages(tmp_path_factory, architecture, data):
    sizes, activation, output, loss = architecture
    params = data.draw(params_for(sizes))
    writer, reader = data.draw(st.sampled_from(PACKAGES)), data.draw(st.sampled_from(PACKAGES))
    net = make(writer, sizes, activation=activation, output=output, loss=loss)
    net.set_params(params)
    path = tmp_path_factory.mktemp("model") / "net.safetensors"
    net.save(path)
    loaded = reader.Network.load(path)
    assert as_lists(loaded.get_params()) == as_lists(params)
    assert (loaded.activation, loaded.output, loaded.loss_name) == (activation, output, loss)
    assert loaded.sizes == sizes


@given(architectures(), st.data())
def test_params_move_between_packages_unchanged(architecture, data):
    sizes, activation, output, loss = architecture
    params = data.draw(params_for(sizes))
    pure, fast = make(purenet, sizes, activation=activation, output=output, loss=loss), \
        make(fastnet, sizes, activation=activation, output=output, loss=loss)
    fast.set_params(params)
    pure.set_params(fast.get_params())
    assert as_lists(pure.get_params()) == as_lists(params)
    fast.set_params(pure.get_params())
    assert as_lists(fast.get_params()) == as_lists(params)


def test_get_params_returns_copies():
    for package in PACKAGES:
        net = make(package, [2, 2])
        params = net.get_params()
        params[0][0][0][0] = 99.0
        assert net.get_params()[0][0][0][0] != 99.0


def test_float32_model_loads_into_purenet(tmp_path):
    fast = fastnet.Network([4, 3, 2], seed=5)  # float32
    fast.save(tmp_path / "f32.safetensors")
    pure = purenet.Network.load(tmp_path / "f32.safetensors")
    np.testing.assert_array_equal(np.asarray(pure.get_params()[0][0], dtype=np.float32), fast.get_params()[0][0])
    assert fastnet.Network.load(tmp_path / "f32.safetensors").dtype == np.float32


def test_every_way_of_reading_a_file_keeps_its_precision(tmp_path):
    """Network.load, the command line and checkpoints read files through one function."""
    from purenet.network import load_file
    purenet.Network([4, 3, 2], seed=5).save(tmp_path / "pure.safetensors")  # float64 numbers
    fastnet.Network([4, 3, 2], seed=5).save(tmp_path / "fast.safetensors")  # float32
    for name, dtype in (("pure", np.float64), ("fast", np.float32)):
        path = tmp_path / f"{name}.safetensors"
        assert fastnet.Network.load(path).dtype == load_file(fastnet.Network, path)[0].dtype == dtype
        assert fastnet.Network.load(path, dtype="float64").dtype == np.float64


def test_the_file_is_safetensors_with_our_metadata(tmp_path):
    path = tmp_path / "m.safetensors"
    purenet.Network([3, 2], seed=1).save(path)
    blob = path.read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    assert b'"layers.0.weight"' in blob[8:8 + n]
    assert 8 + n + (3 * 2 + 2) * 8 == len(blob)


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("damage, message", [
    (lambda blob: b"", "empty"),
    (lambda blob: blob[:5], "truncated"),
    (lambda blob: blob[:-3], "checksum"),
    (lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]), "checksum"),
    (lambda blob: b"PK\x03\x04" + blob[4:], "header"),
    (lambda blob: struct.pack("<Q", 10**9) + blob[8:], "header claims"),
    (lambda blob: b"\x02\x00\x00\x00\x00\x00\x00\x00{}", "not written by purenet or fastnet"),
])
def test_a_damaged_file_is_refused_clearly(tmp_path, package, damage, message):
    path = tmp_path / "m.safetensors"
    purenet.Network([3, 2], seed=1).save(path)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(modelfile.ModelFileError, match=message):
        package.Network.load(path)


@pytest.mark.parametrize("package", PACKAGES)
def test_missing_file_and_unwritable_folder(tmp_path, package):
    with pytest.raises(modelfile.ModelFileError, match="no model file"):
        package.Network.load(tmp_path / "nothing.safetensors")
    with pytest.raises(modelfile.ModelFileError, match="does not exist"):
        make(package, [2, 2]).save(tmp_path / "no" / "such" / "folder.safetensors")


def test_a_failed_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    old = purenet.Network([3, 2], seed=1)
    old.save(path)
    before = path.read_bytes()

    def crash(*args):
        raise KeyboardInterrupt  # as if the process were stopped between write and rename

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        purenet.Network([3, 2], seed=2).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.safetensors"]  # no temporary file left behind


def test_a_file_with_shapes_that_do_not_match_its_sizes_is_refused(tmp_path):
    net = purenet.Network([3, 2], seed=1)
    tensors = {"layers.0.weight": ("F64", (2, 4), modelfile.values_to_bytes([0.0] * 8)),
               "layers.0.bias": ("F64", (2,), modelfile.values_to_bytes([0.0] * 2))}
    modelfile.save(tmp_path / "m.safetensors", net.config(), tensors)
    for package in PACKAGES:
        with pytest.raises(modelfile.ModelFileError, match="shape"):
            package.Network.load(tmp_path / "m.safetensors")


def test_errors_name_a_path_object_by_its_text(tmp_path):
    """'/a/m.safetensors: ...', not PosixPath('/a/m.safetensors'), whether given as text or a Path."""
    model = tmp_path / "m.safetensors"
    tensors = {"layers.0.weight": ("F64", (2, 4), modelfile.values_to_bytes([0.0] * 8)),
               "layers.0.bias": ("F64", (2,), modelfile.values_to_bytes([0.0] * 2))}
    modelfile.save(model, purenet.Network([3, 2]).config(), tensors)
    model_not_checkpoint = tmp_path / "c.safetensors"
    purenet.Network([3, 2]).save(model_not_checkpoint)
    image = tmp_path / "none.png"
    for package in PACKAGES:
        for call, path in ((package.Network.load, model), (package.images.read_digit, image),
                           (lambda path: checkpoint.load(package, path), model_not_checkpoint)):
            for given_as in (path, str(path)):
                with pytest.raises((modelfile.ModelFileError, purenet.DataError)) as caught:
                    call(given_as)
                assert str(caught.value).startswith(repr(str(path)))


@given(st.lists(st.binary(max_size=300), max_size=5))
def test_sha256_of_chunks_is_hashlibs_of_their_concatenation(chunks):
    import hashlib
    from purenet import checksum
    expected = hashlib.sha256(b"".join(chunks)).hexdigest()
    assert checksum.sha256_hex(*chunks) == expected
    assert checksum.sha256_hex(*map(memoryview, chunks)) == expected


def test_sha256_in_a_child_process_is_hashlibs(monkeypatch):
    """The path PyPy takes for large inputs (see checksum.py), run here by this interpreter."""
    import hashlib
    from purenet import checksum
    chunks = [os.urandom(3 << 20), memoryview(os.urandom(1000))[10:], b""]
    assert checksum.in_child(chunks) == hashlib.sha256(b"".join(bytes(c) for c in chunks)).hexdigest()
    monkeypatch.setattr(checksum.sys, "executable", "")
    assert checksum.in_child(chunks) is None  # the caller then hashes in this process
