"""fastnet.blas: gemm (out = alpha a @ b + beta out) and axpby (y = alpha x + beta y) through
NumPy's BLAS, and the same numbers without it (NumPy's own calls)."""
import os
import platform
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fastnet
from fastnet import blas, layers


def operands(rng, m, k, n, dtype, a_transposed, b_transposed):
    a = rng.standard_normal((k, m) if a_transposed else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if b_transposed else (k, n)).astype(dtype)
    return (a.T if a_transposed else a), (b.T if b_transposed else b)


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9), st.sampled_from(["float32", "float64"]),
       st.booleans(), st.booleans(), st.booleans(), st.sampled_from([1.0, -0.5]), st.sampled_from([0.0, 1.0, 0.9]))
def test_gemm_is_alpha_a_b_plus_beta_out(m, k, n, dtype, a_t, b_t, out_fortran, alpha, beta):
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    a, b = operands(rng, m, k, n, dtype, a_t, b_t)
    before = rng.standard_normal((m, n)).astype(dtype)
    out = np.asfortranarray(before) if out_fortran else before.copy()
    expected = alpha * (a.astype(np.float64) @ b.astype(np.float64)) + beta * before
    assert blas.gemm(a, b, out, alpha=alpha, beta=beta) is out
    tolerance = 1e-4 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(out, expected, rtol=tolerance, atol=tolerance)


def test_numpy_blas_is_found_here():
    # NumPy's wheels ship OpenBLAS; without it fastnet would silently lose the fused updates
    assert set(blas.ROUTINES) == {"f", "d"} and set(blas.AXPBY) == {"f", "d"}


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="Sandy Bridge kernels are x86's")
def test_the_blas_says_which_kernels_it_runs():
    # OPENBLAS_CORETYPE makes OpenBLAS run another processor's kernels, whatever this one is; the
    # benchmark records what OpenBLAS says of itself, so that a run so slowed shows it
    code = "from fastnet import blas; print(blas.configuration())"
    for coretype in ("Sandybridge", "Haswell"):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, OPENBLAS_CORETYPE=coretype))
        assert result.stdout.startswith("OpenBLAS ") and f" {coretype} " in result.stdout, result.stderr


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("size", [5, blas.SMALL + 3])  # NumPy's passes, then the BLAS
@pytest.mark.parametrize("alpha, beta", [(0.1, 0.9), (-0.5, 1.0), (2.0, 0.0)])
@pytest.mark.parametrize("with_blas", [True, False])
def test_axpby_is_alpha_x_plus_beta_y(dtype, size, alpha, beta, with_blas, monkeypatch):
    if not with_blas:
        monkeypatch.setattr(blas, "AXPBY", {})
    rng = np.random.default_rng(size)
    x, before = rng.standard_normal((2, size)).astype(dtype)
    y = before.copy()
    assert blas.axpby(alpha, x, beta, y) is y
    tolerance = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(y, alpha * x.astype(np.float64) + beta * before, rtol=tolerance, atol=tolerance)


def test_axpby_leaves_arrays_the_blas_cannot_read_to_numpy():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2 * blas.SMALL, 2)), rng.standard_normal((2 * blas.SMALL, 2))
    expected = 0.5 * x[:, 0] + 2.0 * y[:, 0]
    blas.axpby(0.5, x[:, 0], 2.0, y[:, 0])  # columns: strided
    np.testing.assert_allclose(y[:, 0], expected)


def test_operands_the_blas_cannot_read_are_computed_with_numpy():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((6, 8))[:, ::2]           # neither C- nor F-contiguous
    b = rng.standard_normal((4, 3)).astype(np.float32)  # another dtype
    out = np.ones((6, 3))
    blas.gemm(a, b, out, alpha=2.0, beta=1.0)
    np.testing.assert_allclose(out, 2.0 * a @ b + 1.0, rtol=1e-6)
    read_only = rng.standard_normal((6, 4))
    read_only.flags.writeable = False
    blas.gemm(read_only, b.astype(np.float64), out)
    np.testing.assert_allclose(out, read_only @ b, rtol=1e-6)


def test_shapes_that_do_not_fit_are_refused():
    with pytest.raises(ValueError, match="do not give"):
        blas.gemm(np.ones((2, 3)), np.ones((4, 5)), np.ones((2, 5)))


@pytest.mark.parametrize("make_optimizer", [lambda: fastnet.SGD(lr=0.1), lambda: fastnet.SGD(lr=0.1, momentum=0.9),
                                            lambda: fastnet.SGD(lr=0.1, momentum=0.9, nesterov=True),
                                            lambda: fastnet.Adam(lr=0.01)])
def test_training_without_the_blas_follows_the_same_trajectory(monkeypatch, make_optimizer):
    monkeypatch.setattr(layers, "SMALL", 0)  # these small layers too take the fused BLAS update
    monkeypatch.setattr(blas, "SMALL", 0)  # and the optimizers' axpby
    X = np.random.default_rng(1).random((64, 12))
    y = np.arange(64) % 4

    def train():
        net = fastnet.Network([12, 16, 4], seed=3, dtype="float64")
        net.fit(X, y, epochs=3, batch_size=8, optimizer=make_optimizer())
        return net.get_params()

    with_blas = train()
    monkeypatch.setattr(blas, "ROUTINES", {})
    monkeypatch.setattr(blas, "AXPBY", {})
    without = train()
    for (W, b), (W2, b2) in zip(with_blas, without):
        np.testing.assert_allclose(W, W2, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, b2, rtol=1e-10, atol=1e-12)
    assert not np.allclose(with_blas[0][0], fastnet.Network([12, 16, 4], seed=3, dtype="float64").get_params()[0][0])


@pytest.mark.parametrize("small", [0, 4096], ids=["one BLAS product", "formed, then added"])
def test_the_weight_gradient_is_formed_on_request_and_sgd_uses_it_unformed(monkeypatch, small):
    monkeypatch.setattr(layers, "SMALL", small)
    rng = np.random.default_rng(2)
    X, y = rng.random((10, 5)), np.arange(10) % 3
    net = fastnet.Network([5, 4, 3], seed=0, dtype="float64")
    explicit = net.gradients(X, y)
    before = net.get_params()
    net.backprop(*net._check(X, y)[:2])
    fastnet.SGD(lr=0.5).step(net.layers)  # plain SGD: the product goes straight into the weights
    for (W, b), (dW, db), (W1, b1) in zip(before, explicit, net.get_params()):
        np.testing.assert_allclose(W1, W - 0.5 * dW, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b1, b - 0.5 * db, rtol=1e-12, atol=1e-14)


@pytest.fixture
def gemm_calls(monkeypatch):
    """The argument tuples of every blas.gemm call made by blas.matmul during the test."""
    gemm, calls = blas.gemm, []
    monkeypatch.setattr(blas, "gemm", lambda *args, **kwargs: calls.append(args) or gemm(*args, **kwargs))
    return calls


@pytest.mark.parametrize("n, m", [(1, 1), (3, 5), (128, 784)])
def test_matmul_is_np_matmul_and_gives_large_outer_products_to_the_blas(gemm_calls, n, m):
    calls = gemm_calls
    rng = np.random.default_rng(n + m)
    a, b = rng.standard_normal((n, 1)).astype(np.float32), rng.standard_normal((1, m)).astype(np.float32)
    out = np.empty((n, m), np.float32)
    assert blas.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-6)
    np.testing.assert_allclose(blas.matmul(a, b), a @ b, rtol=1e-6)
    assert len(calls) == (2 if n * m > blas.SMALL else 0)
    c = rng.standard_normal((m, 2)).astype(np.float32)  # not an outer product: np.matmul's
    np.testing.assert_allclose(blas.matmul(b, c), b @ c, rtol=1e-6)
    assert len(calls) == (2 if n * m > blas.SMALL else 0)


def test_outer_products_by_the_blas_follow_the_same_trajectory(monkeypatch, gemm_calls):
    """The weight gradients of one sample and the input gradient of one output neuron are outer
    products, which blas.matmul gives to gemm: the same numbers as np.matmul's."""
    monkeypatch.setattr(blas, "SMALL", 0)
    X = np.random.default_rng(1).random((24, 12))
    y = np.arange(24) % 2

    def train():
        net = fastnet.Network([12, 16, 1], output="sigmoid", seed=3, dtype="float64")
        net.fit(X, y, epochs=2, batch_size=1, optimizer=fastnet.Adam(lr=0.01))
        return net.get_params()

    with_blas = train()
    assert gemm_calls
    monkeypatch.setattr(blas, "ROUTINES", {})
    without = train()
    for (W, b), (W2, b2) in zip(with_blas, without):
        np.testing.assert_allclose(W, W2, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, b2, rtol=1e-10, atol=1e-12)
