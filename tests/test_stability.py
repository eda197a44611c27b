"""Extreme values give finite losses and gradients, without overflow warnings, in both."""
import math
import subprocess
import sys
import warnings

import numpy as np
import pytest

import fastnet
import purenet
from purenet import activations as pure_activations
from fastnet import activations as fast_activations

PACKAGES = [purenet, fastnet]


def saturated(package, activation, output, loss, z):
    """A 1-input network whose output layer gets weighted inputs +z and -z."""
    net = package.Network([1, 2, 2], activation=activation, output=output, loss=loss, seed=0)
    net.set_params([([[1.0], [1.0]], [0.0, 0.0]), ([[z, 0.0], [-z, 0.0]], [0.0, 0.0])])
    return net


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("output, loss", [("softmax", "cross_entropy"), ("sigmoid", "cross_entropy"),
                                          ("softmax", "mse"), ("sigmoid", "mse")])
@pytest.mark.parametrize("z", [1000.0, -1000.0])
def test_saturated_outputs_give_finite_loss_and_gradient(package, output, loss, z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow or divide warning fails the test
        net = saturated(package, "sigmoid", output, loss, z)
        for label in (0, 1):  # one of them is the confidently wrong answer
            value = net.loss([[1.0]], [label])
            assert math.isfinite(value)
            assert all(math.isfinite(g) for pair in net.gradients([[1.0]], [label])
                       for part in pair for g in np.ravel(np.asarray(part)))
        # confidently wrong cross-entropy is large (about |z| times the sigmoid ~ 0.73), not inf
        if loss == "cross_entropy":
            wrong = 1 if z > 0 else 0
            assert net.loss([[1.0]], [wrong]) > 100


def test_sigmoid_of_plus_minus_1000_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pure_activations.sigmoid(1000.0) == 1.0
        assert pure_activations.sigmoid(-1000.0) == 0.0
        z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]], dtype=np.float32)
        a = fast_activations.activate("sigmoid", z, np.empty_like(z))
        np.testing.assert_allclose(a[0], [0.0, 9.357623e-14, 0.5, 1.0, 1.0], rtol=1e-6)


def test_softmax_of_huge_logits_is_exact():
    z = [1000.0, 999.0, -1000.0]
    expected = [1 / (1 + math.exp(-1)), math.exp(-1) / (1 + math.exp(-1)), 0.0]
    assert pure_activations.softmax(z) == pytest.approx(expected, abs=1e-15)
    out = fast_activations.activate("softmax", np.array([z]), np.empty((1, 3)))
    np.testing.assert_allclose(out[0], expected, atol=1e-15)
    assert pure_activations.log_softmax(z)[2] == pytest.approx(-2000 - math.log1p(math.exp(-1)))


def test_purenet_imports_and_runs_without_numpy():
    code = ("import sys; sys.modules['numpy'] = None\n"  # any 'import numpy' now fails
            "import purenet\n"
            "net = purenet.Network([2, 3, 2], seed=0)\n"
            "print(net.predict([[0.5, 0.5]]))\n"
            "import fastnet\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() in ("[0]", "[1]"), result.stderr
    assert "numpy" in result.stderr.lower()  # fastnet, and only fastnet, needs it


def test_relu_against_kept_zeros_matches_max_with_zero_and_never_writes_them():
    """relu compares with a kept array of zeros (see fastnet.activations.zeros): every shape and
    dtype, growing and shrinking, gives max(z, 0), and the zeros stay zeros (read-only)."""
    rng = np.random.default_rng(0)
    for shape in [(3, 4), (200, 50), (1, 1), (7, 600)]:
        for dtype in (np.float32, np.float64):
            for order in ("C", "F"):  # fastnet's hidden layers are laid out column by column
                z = np.asarray(rng.standard_normal(shape).astype(dtype), order=order)
                expected = np.where(z > 0, z, 0).astype(dtype)
                activated = fast_activations.activate("relu", z.copy(order), np.empty_like(z))
                np.testing.assert_array_equal(activated, expected)
                np.testing.assert_array_equal(fast_activations.activate("relu", z, z), expected)  # in place
                zeros = fast_activations.zeros(shape, dtype, order)
                assert zeros.shape == shape and zeros.dtype == dtype and not zeros.any()
                assert zeros.flags.c_contiguous if order == "C" else zeros.flags.f_contiguous
                with pytest.raises(ValueError):
                    zeros[0, 0] = 1.0
