"""purenet runs on Python 3.9 syntax and on PyPy."""
import ast
import pathlib
import shutil
import subprocess

import pytest

PURENET = pathlib.Path(__file__).resolve().parent.parent / "purenet"


@pytest.mark.parametrize("path", sorted(PURENET.rglob("*.py")), ids=lambda p: p.name)
def test_purenet_parses_as_python_3_9(path):
    ast.parse(path.read_text(), filename=str(path), feature_version=(3, 9))


@pytest.mark.skipif(shutil.which("pypy3") is None, reason="pypy3 is not on the PATH (apt-get install pypy3)")
def test_purenet_gives_the_same_gradients_on_pypy():
    code = ("import purenet\n"
            "net = purenet.Network([3, 4, 3], activation='tanh', seed=42)\n"
            "print(repr(net.gradients([[0.0, 0.5, 1.0], [1.0, 0.25, 0.0]], [2, 0])))\n")
    pypy = subprocess.run(["pypy3", "-c", code], cwd=PURENET.parent, capture_output=True, text=True)
    assert pypy.returncode == 0, pypy.stderr
    import purenet
    net = purenet.Network([3, 4, 3], activation="tanh", seed=42)
    assert pypy.stdout.strip() == repr(net.gradients([[0.0, 0.5, 1.0], [1.0, 0.25, 0.0]], [2, 0]))


@pytest.mark.skipif(shutil.which("pypy3") is None, reason="pypy3 is not on the PATH (apt-get install pypy3)")
def test_pypy_checks_files_without_openssl(tmp_path):
    """On PyPy, loading OpenSSL (hashlib, ssl) slows every JIT loop for good (see checksum.py):
    saving, loading and checking a data set cache and a model must not load it, and the
    checksums must be hashlib's."""
    import hashlib
    path = tmp_path / "tiny.safetensors"
    code = ("import sys, purenet\n"
            "from purenet.data import cache\n"
            "from purenet.data.dataset import Dataset\n"
            f"net = purenet.Network([3, 4, 3], seed=42); net.save({str(path)!r})\n"
            f"purenet.Network.load({str(path)!r})\n"
            "data = Dataset('mnist', source='test', train_images=bytes(range(256)) * 49, train_labels=bytes(16))\n"
            f"cache.save({str(tmp_path / 'cache.safetensors')!r}, data)\n"
            f"cache.load({str(tmp_path / 'cache.safetensors')!r})\n"
            "print(purenet.checksum.sha256_hex(b'abc'))\n"
            "print(purenet.checksum.sha256_hex(bytes(range(256)) * 40000))\n"  # 10 MB: a child process
            "print(sorted(m for m in sys.modules if m in ('_hashlib', '_ssl', '_pypy_openssl')))\n")
    pypy = subprocess.run(["pypy3", "-c", code], cwd=PURENET.parent, capture_output=True, text=True)
    assert pypy.returncode == 0, pypy.stderr
    small, large, openssl = pypy.stdout.split()
    assert small == hashlib.sha256(b"abc").hexdigest()
    assert large == hashlib.sha256(bytes(range(256)) * 40000).hexdigest()
    assert openssl == "[]"
    import purenet
    assert purenet.Network.load(path).get_params() == purenet.Network([3, 4, 3], seed=42).get_params()


@pytest.mark.skipif(shutil.which("pypy3") is None, reason="pypy3 is not on the PATH (apt-get install pypy3)")
def test_pypy_reads_the_scale_of_inputs_as_cpython_does():
    """PyPy sums the squares in a loop of its own (see inputs.norm), with hypot for squares beyond
    a float's range."""
    batches = [[[0.0, 255.0, 128.0, 3.0], [255, 0, 64, 250]], [[10 ** 200, 0, 0, 0]], [[1e200, 1.0]], [[0.5, 0.25]]]
    code = ("from purenet.inputs import input_scale\n"
            f"for rows in {batches!r}:\n"
            "    print(repr(input_scale(rows)))\n")
    pypy = subprocess.run(["pypy3", "-c", code], cwd=PURENET.parent, capture_output=True, text=True)
    assert pypy.returncode == 0, pypy.stderr
    from purenet.inputs import input_scale
    assert len(pypy.stdout.splitlines()) == len(batches)
    for line, rows in zip(pypy.stdout.splitlines(), batches):
        (rms, largest, n), expected = eval(line), input_scale(rows)
        assert rms == pytest.approx(expected[0], rel=1e-12) and (largest, n) == expected[1:]
