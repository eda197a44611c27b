"""purenet and fastnet (float64) compute the same network: outputs, losses and gradients."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import fastnet
import purenet
from helpers import assert_close, build_pair
from strategies import architectures, problems


@given(problems())
def test_forward_loss_and_gradients_agree(problem):
    pure, fast = build_pair(problem)
    X, Y = problem["X"], problem["Y"]
    assert_close(pure.forward(X), fast.forward(X))
    assert_close([pure.loss(X, Y)], [fast.loss(X, Y)])
    assert_close(pure.gradients(X, Y), fast.gradients(X, Y))
    assert list(pure.predict(X)) == fast.predict(X).tolist()


@given(architectures(), st.integers(0, 2**63))
def test_same_seed_same_initial_parameters_to_the_bit(architecture, seed):
    sizes, activation, output, loss = architecture
    pure = purenet.Network(sizes, activation, output, loss, seed=seed)
    fast = fastnet.Network(sizes, activation, output, loss, seed=seed, dtype="float64")
    for (W, b), (fast_W, fast_b) in zip(pure.get_params(), fast.get_params()):
        assert fast_W.tolist() == W and fast_b.tolist() == b


def test_the_readme_example_gives_the_same_gradients():
    X = [[0.0, 0.5, 1.0], [1.0, 0.25, 0.0]]
    Y = [2, 0]
    pure = purenet.Network([3, 4, 3], activation="tanh", seed=42)
    fast = fastnet.Network([3, 4, 3], activation="tanh", seed=42, dtype="float64")
    assert_close(pure.gradients(X, Y), fast.gradients(X, Y), rtol=1e-12)
    assert pure.gradients(X, Y)[0][1][0] != 0.0  # a real gradient, not all zeros


def test_different_seeds_give_different_parameters():
    a = purenet.Network([4, 3, 2], seed=1).get_params()
    b = purenet.Network([4, 3, 2], seed=2).get_params()
    assert a != b


def test_float32_is_the_default_and_close_to_float64():
    fast32 = fastnet.Network([5, 6, 3], seed=3)
    fast64 = fastnet.Network([5, 6, 3], seed=3, dtype="float64")
    assert fast32.get_params()[0][0].dtype == np.float32
    X = np.linspace(-1, 1, 20).reshape(4, 5)
    np.testing.assert_allclose(fast32.forward(X), fast64.forward(X), rtol=1e-5, atol=1e-6)
