"""Both packages' gradients agree with central finite differences of their own loss."""
import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from helpers import build_pair, flat
from strategies import problems

H = 1e-6


def unflatten(vector, sizes):
    params, start = [], 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        W = vector[start:start + n_in * n_out].reshape(n_out, n_in)
        start += n_in * n_out
        params.append((W.tolist(), vector[start:start + n_out].tolist()))
        start += n_out
    return params


def smallest_hidden_preactivation(fast, X):
    a, smallest = np.asarray(X, dtype=np.float64), np.inf
    for layer in fast.layers[:-1]:
        z, a = layer.forward(a)
        smallest = min(smallest, float(np.abs(z).min()))
    return smallest


def numerical_gradient(net, problem, indices):
    """(L(theta + h e_i) - L(theta - h e_i)) / 2h for the chosen parameters i."""
    theta = flat(problem["params"])
    estimates = []
    for i in indices:
        losses = []
        for sign in (1.0, -1.0):
            shifted = theta.copy()
            shifted[i] += sign * H
            net.set_params(unflatten(shifted, problem["sizes"]))
            losses.append(net.loss(problem["X"], problem["Y"]))
        estimates.append((losses[0] - losses[1]) / (2 * H))
    net.set_params(problem["params"])
    return np.array(estimates)


@given(problems(), st.data())
def test_gradients_match_finite_differences(problem, data):
    pure, fast = build_pair(problem)
    # relu and leaky_relu have a kink at 0: a difference across it measures no derivative
    if problem["activation"] in ("relu", "leaky_relu"):
        assume(smallest_hidden_preactivation(fast, problem["X"]) > 1e-3)
    n_params = len(flat(problem["params"]))
    indices = data.draw(st.lists(st.integers(0, n_params - 1), min_size=1, max_size=12, unique=True))
    scale = max(1.0, abs(fast.loss(problem["X"], problem["Y"])))
    for net in (pure, fast):
        analytic = flat(net.gradients(problem["X"], problem["Y"]))[indices]
        numeric = numerical_gradient(net, problem, indices)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6 * scale)
