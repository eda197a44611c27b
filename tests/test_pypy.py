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
