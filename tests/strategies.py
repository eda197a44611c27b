"""Hypothesis strategies for small random networks and data, shared by the property tests."""
from hypothesis import strategies as st

from purenet.checks import ACTIVATIONS, LOSSES_FOR_OUTPUT

PAIRINGS = [(output, loss) for output, losses in LOSSES_FOR_OUTPUT.items() for loss in losses]

values = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


@st.composite
def architectures(draw):
    """(sizes, activation, output, loss): 1 to 3 hidden layers of width 1 to 8."""
    output, loss = draw(st.sampled_from(PAIRINGS))
    n_in = draw(st.integers(1, 8))
    hidden = draw(st.lists(st.integers(1, 8), min_size=1, max_size=3))
    n_out = draw(st.integers(2 if output == "softmax" else 1, 8))
    return [n_in] + hidden + [n_out], draw(st.sampled_from(ACTIVATIONS)), output, loss


def params_for(sizes):
    """get_params()-shaped lists of weights and biases in [-3, 3]."""
    layers = [
        st.tuples(
            st.lists(st.lists(values, min_size=n_in, max_size=n_in), min_size=n_out, max_size=n_out),
            st.lists(values, min_size=n_out, max_size=n_out),
        )
        for n_in, n_out in zip(sizes, sizes[1:])
    ]
    return st.tuples(*layers).map(list)


@st.composite
def problems(draw):
    """A random network setting, its parameters and a batch: a dict for both packages."""
    sizes, activation, output, loss = draw(architectures())
    n = draw(st.integers(1, 8))
    X = draw(st.lists(st.lists(values, min_size=sizes[0], max_size=sizes[0]), min_size=n, max_size=n))
    n_out = sizes[-1]
    if draw(st.booleans()):
        Y = draw(st.lists(st.integers(0, max(1, n_out - 1)), min_size=n, max_size=n))
    else:
        row = st.floats(0.0, 1.0) if loss == "cross_entropy" else values
        Y = draw(st.lists(st.lists(row, min_size=n_out, max_size=n_out), min_size=n, max_size=n))
    return dict(sizes=sizes, activation=activation, output=output, loss=loss,
                params=draw(params_for(sizes)), X=X, Y=Y)
