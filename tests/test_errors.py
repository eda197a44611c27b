"""Every bad argument and bad datum raises ValueError that says what was wrong, the same way in
purenet and fastnet."""
import math
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import fastnet
import purenet
from purenet.inputs import is_regression
from strategies import problems

PACKAGES = [purenet, fastnet]


def message_of(call):
    with pytest.raises(ValueError) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize("settings, expected", [
    (dict(sizes=[3, 2], activation="softplus"),
     "activation='softplus' is not known; choose one of: sigmoid, tanh, relu, leaky_relu, linear"),
    (dict(sizes=[3, 2], output="tanh"), "output='tanh' is not known; choose one of: softmax, sigmoid, linear"),
    (dict(sizes=[3, 2], loss="hinge"), "loss='hinge' is not known; choose one of: cross_entropy, mse"),
    (dict(sizes=[3, 2], init="glorot"), "init='glorot' is not known; choose one of: he, xavier, lecun, uniform, zeros"),
    (dict(sizes=[3]), "sizes needs at least two entries"),
    (dict(sizes=[]), "sizes needs at least two entries"),
    (dict(sizes=[3, 0]), "sizes[1] must be at least 1, got 0"),
    (dict(sizes=[-3, 2]), "sizes[0] must be at least 1, got -3"),
    (dict(sizes=[3, 2.5]), "sizes[1] must be a whole number, got 2.5"),
    (dict(sizes=[3, True]), "sizes[1] must be a whole number, got True"),
    (dict(sizes="784,10"), "sizes must be a list of layer sizes"),
    (dict(sizes=[3, 2], output="linear", loss="cross_entropy"), "loss='cross_entropy' does not fit output='linear'"),
    (dict(sizes=[3, 1], output="softmax"), "needs at least 2 output neurons"),
    (dict(sizes=[3, 2], seed=-1), "seed must be at least 0"),
    (dict(sizes=[3, 2], l2=-0.1), "l2 must be at least 0, got -0.1"),
    (dict(sizes=[3, 2], dropout=1.0), "dropout must be in [0, 1), got 1.0"),
    (dict(sizes=[3, 2], dropout=0.5), "dropout=0.5 drops hidden neurons, and the network [3, 2] has no hidden "
                                      "layer; give it one (such as [3, 128, 2]), or leave dropout at 0"),
    (dict(sizes=[3, 2], l1=float("nan")), "l1 must be finite"),
])
def test_bad_network_arguments(settings, expected):
    for package in PACKAGES:
        assert expected in message_of(lambda: package.Network(**settings))


def test_fastnet_dtype_must_be_a_float_type():
    assert "dtype='int8' is not known; choose one of: float32, float64" in message_of(
        lambda: fastnet.Network([2, 2], dtype="int8"))
    assert fastnet.Network([2, 2], dtype=np.float64).dtype == np.float64


def test_a_bad_dtype_to_load_is_named_as_the_callers(tmp_path):
    path = tmp_path / "m.safetensors"
    fastnet.Network([2, 2], seed=0).save(path)
    message = message_of(lambda: fastnet.Network.load(path, dtype="float16"))
    assert message == "dtype='float16' is not known; choose one of: float32, float64"
    assert fastnet.Network.load(path, dtype="float64").dtype == np.float64


@pytest.mark.parametrize("make", [lambda p: p.SGD(lr=0), lambda p: p.SGD(lr=0.1, momentum=1.0),
                                  lambda p: p.SGD(lr=0.1, nesterov=True), lambda p: p.Adam(lr=-1),
                                  lambda p: p.Adam(beta1=1.0), lambda p: p.SGD(lr="fast")])
def test_bad_optimizer_arguments(make):
    messages = [message_of(lambda: make(package)) for package in PACKAGES]
    assert messages[0] == messages[1]


def test_the_other_packages_optimizer_is_refused_by_name():
    for package, other in [(purenet, fastnet), (fastnet, purenet)]:
        net = package.Network([2, 2], seed=0)
        message = message_of(lambda: net.fit([[0.0, 1.0]], [1], optimizer=other.SGD(lr=0.1)))
        assert f"optimizer is {other.__name__}.SGD" in message and f"{package.__name__}.SGD" in message


def test_an_optimizer_or_schedule_class_is_refused_with_how_to_make_one():
    for package in PACKAGES:
        net = package.Network([2, 2], seed=0)
        for argument, value in [("optimizer", package.SGD), ("optimizer", package.Adam),
                                ("schedule", package.StepDecay), ("schedule", package.CosineDecay)]:
            message = message_of(lambda: net.fit([[0.0, 1.0]], [1], **{argument: value}))
            name = value.__name__
            assert message == f"{argument}={name} is the class itself; give one made from it, such as {name}()"


def test_images_as_grids_are_refused_with_how_to_flatten_them():
    images, labels = np.zeros((3, 28, 28)), [0, 1, 2]
    for package in PACKAGES:
        net = package.Network([784, 10], seed=0)
        calls = (lambda: net.fit(images, labels), lambda: net.predict(images), lambda: net.predict(images.tolist()))
        for call in calls:
            assert "flatten each one, e.g. X.reshape(len(X), -1)" in message_of(call)
        assert len(net.predict(images.reshape(len(images), -1))) == 3


def test_an_optimizer_with_state_is_refused_by_a_network_of_other_sizes():
    X, Y = [[0.0, 1.0, 0.5]] * 4, [0, 1, 2, 0]
    for package in PACKAGES:
        for optimizer in (package.Adam(), package.SGD(lr=0.1, momentum=0.9)):
            package.Network([3, 4, 3], seed=0).fit(X, Y, epochs=1, optimizer=optimizer)
            package.Network([3, 4, 3], seed=1).fit(X, Y, epochs=1, optimizer=optimizer)  # same sizes: it goes on
            for sizes in ([3, 5, 3], [3, 4, 4, 3]):
                message = message_of(lambda: package.Network(sizes, seed=0).fit(X, Y, epochs=1, optimizer=optimizer))
                assert "has trained a network of other sizes" in message and f"({sizes})" in message
        plain = package.SGD(lr=0.1)  # no state: any network
        for sizes in ([3, 4, 3], [3, 5, 3]):
            package.Network(sizes, seed=0).fit(X, Y, epochs=1, optimizer=plain)


def test_on_epoch_end_must_be_a_function():
    for package in PACKAGES:
        message = message_of(lambda: package.Network([2, 2], seed=0).fit([[0.0, 1.0]], [1], on_epoch_end=5))
        assert "on_epoch_end must be a function" in message


@pytest.mark.parametrize("call, expected", [
    (lambda p: p.Network([2, 2], seed=0).fit([[0.0, 1.0]], [1], shuffle="false"),
     "shuffle must be True or False, got 'false'"),
    (lambda p: p.Network([2, 2], seed=0).fit([[0.0, 1.0]], [1], verbose=None),
     "verbose must be True or False, got None"),
    (lambda p: p.SGD(lr=0.1, momentum=0.9, nesterov="no"), "nesterov must be True or False, got 'no'"),
    (lambda p: p.datasets.load_mnist(fashion="yes"), "fashion must be True or False, got 'yes'"),
    (lambda p: p.SGD(lr=0.1, momentum=0.9, nesterov=np.array([True, False])),
     "nesterov must be True or False, got array([ True, False])"),
])
def test_a_yes_or_no_setting_is_true_or_false_not_anything_truthy(call, expected):
    # taken by its truth, the string "false" would shuffle
    for package in PACKAGES:
        assert message_of(lambda: call(package)) == expected


def test_a_yes_or_no_setting_may_be_one_zero_or_a_numpy_bool():
    for package in PACKAGES:
        history = package.Network([2, 2], seed=0).fit([[0.0, 1.0]] * 4, [1, 0, 1, 0], epochs=2, batch_size=2,
                                                      shuffle=np.False_, verbose=0)
        assert len(history.loss) == 2
        assert package.SGD(lr=0.1, momentum=0.9, nesterov=1).nesterov is True


def test_zero_initialisation_warns_about_symmetry():
    for package in PACKAGES:
        with pytest.warns(UserWarning, match="identical"):
            package.Network([3, 2], init="zeros")


def test_fit_warns_about_inputs_far_from_unit_size_and_only_about_those():
    raw = np.array([[0.0, 255.0, 128.0, 3.0], [255.0, 0.0, 64.0, 250.0], [17.0, 200.0, 0.0, 0.0]])  # pixels
    messages = []
    for package in PACKAGES:
        net = package.Network([4, 2], seed=0)
        with pytest.warns(UserWarning, match="the training inputs are large") as caught:
            net.fit(raw.tolist(), [0, 1, 1], epochs=1, batch_size=3)
        messages.append(str(caught[0].message))
        assert caught[0].filename == __file__  # it points at the call of fit
    assert messages[0] == messages[1]
    assert "largest 255, over the first 3 samples" in messages[0] and "divide pixel values by 255" in messages[0]
    with pytest.warns(UserWarning, match=r"largest 1e\+200"):  # whole numbers whose squares no float holds
        purenet.Network([4, 2], seed=0).fit([[10 ** 200, 0, 0, 0]], [0], epochs=1)
    standardised = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for X in (raw / 255, standardised, raw / 25.5):  # root mean square 0.57, 1 and 5.7
            for package in PACKAGES:
                package.Network([4, 2], seed=0).fit(X.tolist(), [0, 1, 1], epochs=1)


def test_fit_warns_about_targets_far_from_unit_size_and_only_about_those():
    X = np.linspace(0.0, 1.0, 12).reshape(6, 2)
    prices = 250_000.0 + 100_000.0 * X[:, 0] - 40_000.0 * X[:, 1]  # a regression's targets, in dollars
    messages = []
    for package in PACKAGES:
        for Y in (prices, prices.reshape(-1, 1).tolist()):  # one number per sample, or rows
            net = package.Network([2, 3, 1], output="linear", loss="mse", seed=0)
            with pytest.warns(UserWarning, match="the training targets are large") as caught:
                net.fit(X, Y, epochs=1)
            assert len(caught) == 1 and caught[0].filename == __file__  # it points at the call of fit
            messages.append(str(caught[0].message))
    assert len(set(messages)) == 1
    assert messages[0].startswith("Y: the training targets are large (root mean square 2.74e+05, largest 3.009e+05, "
                                  "over the first 6 samples)")
    assert "Standardise them" in messages[0]
    standardised = (prices - prices.mean()) / prices.std()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for package in PACKAGES:
            for Y in (standardised, standardised * 5):  # root mean square 1 and 5
                package.Network([2, 3, 1], output="linear", loss="mse", seed=0).fit(X, Y, epochs=1)
            package.Network([2, 3, 4], seed=0).fit(X, [0, 3, 1, 2, 3, 0], epochs=1)  # labels: one-hot rows


def test_answers_for_inputs_far_from_unit_size_warn_and_only_those():
    raw = [[0.0, 255.0, 128.0, 3.0], [255.0, 0.0, 64.0, 250.0]]  # pixels of a network trained on pixels / 255
    messages = set()
    for package in PACKAGES:
        for answer in ("predict", "predict_proba", "evaluate"):
            for X in (raw, np.array(raw)):
                net = package.Network([4, 2], seed=0)
                call = (lambda X: net.evaluate(X, [0, 1])) if answer == "evaluate" else getattr(net, answer)
                with pytest.warns(UserWarning, match="the inputs are large") as caught:
                    call(X)
                assert len(caught) == 1 and caught[0].filename == __file__  # it points at the call
                messages.add(str(caught[0].message))
                with warnings.catch_warnings():
                    warnings.simplefilter("error")  # once a network: a loop over samples is not flooded
                    net.predict([[1000.0, 0.0, 0.0, 0.0]]), net.evaluate(X, [0, 1])
    assert len(messages) == 1
    assert messages.pop().startswith("X: the inputs are large (root mean square 163, largest 255, over the first "
                                     "2 samples): a network learns from inputs of about unit size, and answers well "
                                     "only for inputs scaled as its training inputs were. Scale these the same way: "
                                     "divide pixel values by 255")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for package in PACKAGES:
            net = package.Network([4, 2], seed=0)
            net.forward(raw), net.loss(raw, [0, 1]), net.gradients(raw, [0, 1])  # the maths, as asked
            net.predict(np.array(raw) / 255), net.evaluate(np.array(raw) / 25.5, [0, 1])
        with pytest.warns(UserWarning, match=r"largest 1e\+200"):  # no square overflows on the way
            fastnet.Network([4, 2], seed=0, dtype="float64").predict([[1e200, 0.0, 0.0, 0.0]])


def test_one_sample_laid_out_as_a_grid_is_named_as_such():
    image = np.arange(784.0).reshape(28, 28) / 784  # one MNIST-sized image, not flattened
    hint = ("X: sample 0 has 28 values, expected 784 (one per input of the network); X has 28 rows of 28 values, "
            "784 in all: one sample as a grid, such as an image? flatten it into one row (X.reshape(1, -1) in NumPy)")
    for package in PACKAGES:
        net = package.Network([784, 10], seed=0)
        for grid in (image, image.tolist()):
            assert message_of(lambda: net.predict(grid)) == hint
        assert np.asarray(net.predict(image.reshape(1, -1))).shape == (1,)
        # rows that do not make up one sample get the plain message
        assert message_of(lambda: net.predict(image[:, :27])).endswith("(one per input of the network)")
    # a grid that also holds a non-number, which fastnet looks at row by row: the width comes first
    mixed = [["a", 0.5], [0.25, 1.0]]
    assert [message_of(lambda: package.Network([4, 2], seed=0).predict(mixed)) for package in PACKAGES] == [
        "X: sample 0 has 2 values, expected 4 (one per input of the network); X has 2 rows of 2 values, 4 in all: "
        "one sample as a grid, such as an image? flatten it into one row (X.reshape(1, -1) in NumPy)"] * 2


BAD_DATA = [
    ([[1, 2, 3], [1, 2]], [0, 1], "X: sample 1 has 2 values, expected 3"),
    ([[1, 2], [1, 2, 3]], [0, 1], "X: sample 0 has 2 values, expected 3"),
    ([[1, 2]] * 3, [0, 1], "X: sample 0 has 2 values, expected 3 (one per input of the network); X has 3 rows "
                           "of 2 values: one sample per column? give it transposed (X.T in NumPy)"),
    ([[1, "a", 3]], [0], "X: sample 0 holds 'a', which is not a number"),
    ([[1, None, 3]], [0], "X: sample 0 holds None, which is not a number"),
    ([[0, 0, 0], [1, 2, math.nan]], [0, 1], "X: sample 1 contains NaN or infinity"),
    ([[0, 0, 0], [1, 2, -math.inf]], [0, 1], "X: sample 1 contains NaN or infinity"),
    ([], [], "X is empty"),
    ([[[1, 2, 3]]] * 2, [0, 1], "X: each sample must be one flat row of 3 numbers, but its samples are nested"),
    ([[1, 2, 3]], [2], "Y: sample 0 has label 2, expected a whole number in 0..1"),
    ([[1, 2, 3]], [-1], "Y: sample 0 has label -1"),
    ([[1, 2, 3]], [0.5], "Y: sample 0 has label 0.5"),
    ([[1, 2, 3]], ["1"], "Y: sample 0 has label '1'"),
    ([[1, 2, 3]], [[1, 0, 0]], "Y: sample 0 has a target row of 3 values, expected 2"),
    ([[1, 2, 3]] * 2, [[1, 0], [1]], "Y: sample 1 has a target row of 1 value, expected 2"),
    ([[1, 2, 3]] * 2, [[1], [0]], "Y: sample 0 has a target row of 1 value, expected 2 (one per output "
                                  "neuron); labels in a column? give them flat: a list, y.ravel() in NumPy or "
                                  "y.iloc[:, 0] in pandas"),
    ([[1, 2, 3]], [[0.5, math.nan]], "Y: sample 0 contains NaN or infinity"),
    ([[1, 2, 3]], [0, 1], "X has 1 sample but Y has 2"),
    ([[1, 2, 3]] * 2, [], "Y is empty"),
]


@pytest.mark.parametrize("X, Y, expected", BAD_DATA)
@pytest.mark.parametrize("method", ["loss", "gradients", "evaluate"])
def test_bad_data_is_named_the_same_way_by_both(X, Y, expected, method):
    messages = [message_of(lambda: getattr(package.Network([3, 2], seed=0), method)(X, Y))
                for package in PACKAGES]
    assert expected in messages[0]
    assert messages[0] == messages[1]


@pytest.mark.parametrize("X, Y, expected", [
    ([[1, 2, 3]] * 2, np.array(["a", "b"]), "Y: sample 0 has label 'a'"),
    (np.array([[1, 2, 3], [1, None, 3]], dtype=object), [0, 1], "X: sample 1 holds None, which is not a number"),
])
def test_arrays_of_non_numbers_are_named_as_their_lists_are(X, Y, expected):
    as_lists = [x.tolist() if isinstance(x, np.ndarray) else x for x in (X, Y)]
    for package in PACKAGES:
        for data in ((X, Y), as_lists):
            assert expected in message_of(lambda: package.Network([3, 2], seed=0).loss(*data))


class Dimensionless:
    """An object with NumPy's ndim of a scalar, and no dtype."""
    ndim = 0

    def __repr__(self):
        return "Dimensionless()"


class SparseMatrix:
    """What SciPy's sparse matrices are to the two packages: no __array__, no tolist, a toarray."""

    def __init__(self, rows):
        self.rows = rows

    def toarray(self):
        return np.asarray(self.rows)


@pytest.mark.parametrize("make, expected", [
    (lambda: ({"a": 1}, [0]), "X must be a list of samples (lists of numbers), got dict"),
    (lambda: ((x for x in [[1, 2, 3]]), [0]),
     "X must be a list of samples (lists of numbers), got generator; give list(X)"),
    (lambda: ([[1, 2, 3]], map(int, "0")), "Y must be a list of labels or target rows, got map; give list(Y)"),
    (lambda: (SparseMatrix([[1, 2, 3]]), [0]),
     "X must be a list of samples (lists of numbers), got SparseMatrix; give X.toarray()"),
    (lambda: ([[1, 2, 3]], {0}), "Y must be a list of labels or target rows, got set"),
    (lambda: ([[1, 2, 3]], None), "Y must be a list of labels or target rows, got NoneType"),
    (lambda: ([[1, 2, 3]], "0"), "Y must be a list of labels or target rows, got str"),
    (lambda: ([[Decimal("0.5"), 2, 3]], [0]), "X: sample 0 holds Decimal('0.5'), which is not a number"),
    (lambda: ([[Dimensionless(), 2, 3]], [0]), "X: sample 0 holds Dimensionless(), which is not a number"),
    (lambda: ([[0.5, 10 ** 400, 3]], [0]),
     "X: sample 0 holds 1000000000000000000000000000000000000..., too large for a float"),
    (lambda: ([[1, 2, 3]], [10 ** 400]),
     "Y: sample 0 has label 1000000000000000000000000000000000000..., expected a whole number in 0..1"),
])
def test_odd_containers_and_numbers_are_named_the_same_way_by_both(make, expected):
    for package in PACKAGES:
        assert message_of(lambda: package.Network([3, 2], seed=0).loss(*make())) == expected


@pytest.mark.parametrize("call, expected", [
    (lambda net: net.forward([[0.5, 1e200, 3.0]]), "X: sample 0 holds 1e+200"),
    (lambda net: net.loss(np.array([[0.5, 1.0, 0.0], [1.0, -1e39, 0.0]]), [0, 1]), "X: sample 1 holds -1e+39"),
    (lambda net: net.loss([[0.5, 1.0, 0.0]], [[0.5, 1e300]]), "Y: sample 0 holds 1e+300"),
    (lambda net: net.set_params([([[1.0, 2.0, 3.0], [1.0, 1e40, 3.0]], [0.0, 0.0])]),
     "set_params: layer 0: W[1][1] is 1e+40"),
    (lambda net: net.set_params([([[1.0, 2.0, 3.0]] * 2, [0.0, -1e40])]), "set_params: layer 0: b[1] is -1e+40"),
])
def test_numbers_beyond_float32s_range_are_named_where_float32_cannot_hold_them(call, expected):
    beyond = "beyond float32's range (at most 3.4e+38); scale it, or make the network with dtype='float64'"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said in the error, not in a NumPy warning about a cast
        settings = dict(output="sigmoid", loss="mse", seed=0)  # mse: targets beyond 0..1 are numbers to it
        assert message_of(lambda: call(fastnet.Network([3, 2], **settings))) == f"{expected}, {beyond}"
        for net in (purenet.Network([3, 2], **settings), fastnet.Network([3, 2], dtype="float64", **settings)):
            call(net)  # float64 holds them


def test_a_file_of_numbers_beyond_float32s_range_is_named_when_loaded_as_float32(tmp_path):
    net = purenet.Network([3, 2], output="sigmoid", seed=0)
    params = net.get_params()
    params[0][1][1] = -1e40  # the bias of neuron 1
    net.set_params(params)
    path = tmp_path / "large.safetensors"
    net.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said in the error, not in a NumPy warning about a cast
        with pytest.raises(purenet.ModelFileError) as caught:
            fastnet.Network.load(path, dtype="float32")
        assert str(caught.value) == (f"{str(path)!r}: layer 0: b[1] is -1e+40, beyond float32's range "
                                     "(at most 3.4e+38); load it with dtype='float64'")
        for loaded in (fastnet.Network.load(path), fastnet.Network.load(path, dtype="float64"),
                       purenet.Network.load(path)):
            assert np.asarray(loaded.get_params()[0][1])[1] == -1e40


def test_numbers_of_any_real_type_are_numbers():
    plain = [[0.5, 0.25, 1.0]]
    for package in PACKAGES:
        net = package.Network([3, 4, 2], seed=0)
        expected = np.asarray(net.forward(plain))
        for X in ([[Fraction(1, 2), Fraction(1, 4), 1]], [[np.float32(0.5), np.float64(0.25), np.int8(1)]]):
            assert np.array_equal(np.asarray(net.forward(X)), expected)
        assert net.loss(plain, [Fraction(1)]) == net.loss(plain, [1])


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_cross_entropy_takes_targets_that_are_probabilities(output):
    # beyond 0..1 cross-entropy has no least value: a fit on a target of 2 diverged, blaming the rate
    X = [[0.5, 0.25, 1.0], [0.0, 0.75, 0.5]]
    for package in PACKAGES:
        net = package.Network([3, 2], output=output, seed=0)
        for Y, shown, sample, output_index in (([[0, 2], [1, 0]], "2", 0, 1),
                                               (np.array([[1.0, 0.0], [0.5, -0.25]]), "-0.25", 1, 1)):
            for call in (net.loss, net.gradients, net.evaluate, lambda X, Y: net.fit(X, Y, epochs=1)):
                assert message_of(lambda: call(X, Y)) == (
                    f"Y: sample {sample} has target {shown} for output {output_index}, outside 0..1: "
                    "cross-entropy compares probabilities; scale the targets into 0..1, or, for other numbers, "
                    "use output='linear' with loss='mse'")
        assert math.isfinite(net.loss(X, [[0.0, 1.0], [0.3, 0.7]]))
        squares = package.Network([3, 2], output=output, loss="mse", seed=0)
        assert math.isfinite(squares.loss(X, [[0, 2], [1, 0]]))  # the mse's least value is 0


class Table:
    """What a pandas DataFrame is to the two packages: an __array__ of its rows and no tolist, its
    [k] a column and its iteration the column names."""

    def __init__(self, rows):
        self.rows = np.asarray(rows)

    def __array__(self, dtype=None, copy=None):
        return self.rows if dtype is None else self.rows.astype(dtype)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, column):
        return self.rows[:, column]

    def __iter__(self):
        return iter(range(self.rows.shape[1]))


def test_a_table_such_as_a_pandas_data_frame_gives_its_rows():
    X, y = [[0.5, 0.25, 1.0], [0.0, 0.75, 0.5]], [1, 0]
    for package in PACKAGES:
        net = package.Network([3, 4, 2], seed=0)
        assert np.array_equal(np.asarray(net.forward(Table(X))), np.asarray(net.forward(X)))
        assert net.loss(Table(X), y) == net.loss(X, y)
        assert list(net.predict(Table(X))) == list(net.predict(X))
        by_table, by_rows = (package.Network([3, 4, 2], seed=0) for _ in range(2))
        by_table.fit(Table(X), y, epochs=2, batch_size=1, validation_data=(Table(X), y))
        by_rows.fit(X, y, epochs=2, batch_size=1, validation_data=(X, y))
        assert np.array_equal(np.asarray(by_table.forward(X)), np.asarray(by_rows.forward(X)))


def test_booleans_in_X_are_ones_and_zeros():
    X = np.array([[True, False, True], [False, False, True]])
    for package in PACKAGES:
        net = package.Network([3, 4, 2], seed=0)
        for data in (X, X.tolist(), X[0].tolist()):
            expected = np.asarray(net.forward(np.asarray(data, dtype=float).tolist()))
            assert np.array_equal(np.asarray(net.forward(data)), expected)


@pytest.mark.parametrize("answers", [[True, False, True], np.array([True, False, True]),
                                     [np.True_, np.False_, np.True_]], ids=["list", "array", "NumPy's bools"])
def test_true_and_false_are_the_labels_of_a_yes_or_no_question(answers):
    X = [[0.1, 0.2, 0.3], [0.5, 0.0, 1.0], [0.9, 0.4, 0.2]]
    for package in PACKAGES:
        for sizes, output in (([3, 1], "sigmoid"), ([3, 2], "softmax")):
            by_labels, by_answers = (package.Network(sizes, output=output, seed=0) for _ in range(2))
            assert by_answers.loss(X, answers) == by_labels.loss(X, [1, 0, 1])
            evaluations = by_answers.evaluate(X, answers), by_labels.evaluate(X, [1, 0, 1])
            assert np.array_equal(*(np.asarray(evaluation.confusion) for evaluation in evaluations))
            by_labels.fit(X, [1, 0, 1], epochs=2, batch_size=2)
            by_answers.fit(X, answers, epochs=2, batch_size=2)
            assert np.array_equal(np.asarray(by_answers.forward(X)), np.asarray(by_labels.forward(X)))
        net = package.Network([3, 4], seed=0)
        for Y, sample in ((answers, 0), ([0, True, 1], 1)):
            assert message_of(lambda: net.loss(X, Y)) == (
                f"Y: sample {sample} has label True: True and False name two classes, and this network has 4 "
                "outputs; give labels 0..3, or train a network with one sigmoid output (or two outputs) to "
                "answer yes or no")


@pytest.mark.parametrize("X", [[[1, 2]], [[1, 2, math.inf]], [], "abc"])
def test_bad_inputs_to_forward_and_predict(X):
    for package in PACKAGES:
        net = package.Network([3, 2], seed=0)
        for method in (net.forward, net.predict, net.predict_proba):
            with pytest.raises(ValueError, match="X"):
                method(X)


CORRUPTIONS = ["short row", "long row", "nan", "inf", "label too big", "negative label",
               "target row too wide"]


@given(problems(), st.sampled_from(CORRUPTIONS), st.data())
def test_any_corrupted_sample_is_named(problem, corruption, data):
    X = [list(x) for x in problem["X"]]
    n_out = problem["sizes"][-1]
    # one linear output takes a number per sample as a regression's target: no label to corrupt
    assume(corruption not in ("label too big", "negative label") or not is_regression(problem["output"], n_out))
    Y = [0] * len(X)
    k = data.draw(st.integers(0, len(X) - 1))
    if corruption == "short row":
        X[k] = X[k][:-1]
    elif corruption == "long row":
        X[k] = X[k] + [0.0]
    elif corruption in ("nan", "inf"):
        X[k][data.draw(st.integers(0, len(X[k]) - 1))] = math.nan if corruption == "nan" else -math.inf
    elif corruption == "label too big":
        Y[k] = max(2, n_out)
    elif corruption == "negative label":
        Y[k] = -1
    else:
        Y = [[0.0] * n_out for _ in X]
        Y[k] = [0.0] * (n_out + 1)
    messages = []
    for package in PACKAGES:
        net = package.Network(problem["sizes"], problem["activation"], problem["output"],
                              problem["loss"], seed=0)
        messages.append(message_of(lambda: net.gradients(X, Y)))
    assert f"sample {k}" in messages[0]
    assert messages[0] == messages[1]


@pytest.mark.parametrize("params, expected", [
    ([], "expected a list of 1 (W, b) pairs"),
    ([([[1.0, 2.0]], [0.0])], "layer 0: W must have shape (2, 3)"),
    ([([[1.0, 2.0, 3.0]] * 2, [0.0])], "layer 0: b must hold 2 numbers"),
    ([([[1.0, 2.0, 3.0], [1.0, 2.0, math.nan]], [0.0, 0.0])],
     "set_params: layer 0: W[1][2] is nan; weights and biases must be finite numbers"),
    ([([[1.0, 2.0, 3.0]] * 2, [0.0, -math.inf])], "set_params: layer 0: b[1] is -inf; weights and biases"),
    ([([[1.0, "2", 3.0]] * 2, [0.0, 0.0])], "set_params: layer 0: W[0][1] is '2'; weights and biases"),
    ([([[1.0, 2.0], [1.0, 2.0, 3.0]], [0.0, 0.0])], "layer 0: W must have shape (2, 3)"),
    ([([[1.0, 2.0, 3.0]] * 2,)], "layer 0: expected a (W, b) pair"),
])
def test_bad_parameters_are_refused(params, expected):
    for package in PACKAGES:
        net = package.Network([3, 2], seed=0)
        before = np.asarray(net.get_params()[0][0]).tolist()
        assert expected in message_of(lambda: net.set_params(params))
        assert np.asarray(net.get_params()[0][0]).tolist() == before  # nothing half-set


def test_parameters_may_be_numbers_of_any_real_type():
    params = [([[Fraction(1, 2), 1, np.float32(0.25)], [True, 2.0, -1]], [0, 0.5])]
    for package in PACKAGES:
        net = package.Network([3, 2], seed=0)
        net.set_params(params)
        assert np.asarray(net.get_params()[0][0]).tolist() == [[0.5, 1.0, 0.25], [1.0, 2.0, -1.0]]


def test_no_warning_beside_the_error_for_infinities_of_both_signs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for package in PACKAGES:
            net = package.Network([3, 2], seed=0)
            assert "sample 0 contains NaN or infinity" in message_of(lambda: net.forward([[math.inf, -math.inf, 0.0]]))


def test_no_warnings_on_good_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for package in PACKAGES:
            net = package.Network([3, 4, 2], seed=0)
            net.gradients([[1000.0, -1000.0, 0.0]], [1])
