"""fit: the same trajectory in purenet and fastnet, and what training promises."""
import copy
import io
import math
import pickle

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import fastnet
import purenet
from helpers import assert_close, flat
from purenet import training
from purenet.progress import ProgressBar, duration
from strategies import values

PACKAGES = [purenet, fastnet]

OPTIMIZERS = [
    ("sgd", dict(lr=0.1)),
    ("sgd", dict(lr=0.05, momentum=0.9)),
    ("sgd", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("adam", dict(lr=0.01)),
]
REGULARISERS = [dict(), dict(l2=0.01), dict(l1=0.001), dict(dropout=0.3), dict(l2=0.001, dropout=0.2)]


def make_optimizer(package, name, settings):
    return (package.SGD if name == "sgd" else package.Adam)(**settings)


# Zero inputs can leave outputs exactly tied (with relu all are 0 at the start, and classes that no
# label names are updated alike), and both packages then predict the first of them. An input of
# 1e-17 moves such outputs apart by about as much as rounding does, so that the packages, which
# round differently, can predict different classes; the accuracies are compared exactly, so the
# inputs here are 0 or at least 1e-6 from it.
inputs = values.map(lambda x: 0.0 if abs(x) < 1e-6 else x)


@st.composite
def training_problems(draw):
    n_in, n_out = draw(st.integers(1, 5)), draw(st.integers(2, 4))
    hidden = draw(st.lists(st.integers(1, 6), min_size=1, max_size=2))
    n = draw(st.integers(1, 12))
    X = draw(st.lists(st.lists(inputs, min_size=n_in, max_size=n_in), min_size=n, max_size=n))
    Y = draw(st.lists(st.integers(0, n_out - 1), min_size=n, max_size=n))
    return dict(sizes=[n_in] + hidden + [n_out], X=X, Y=Y,
                activation=draw(st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu"])),
                optimizer=draw(st.sampled_from(OPTIMIZERS)),
                regulariser=draw(st.sampled_from(REGULARISERS)),
                batch_size=draw(st.sampled_from([1, 3, "all"])),
                schedule=draw(st.sampled_from([None, "step", "cosine"])),
                shuffle=draw(st.booleans()),
                seed=draw(st.integers(0, 2**32)))


@settings(max_examples=20)
@given(training_problems())
@example({"sizes": [2, 6, 5, 2], "X": [[0.0, -2.0]], "Y": [1], "activation": "relu",  # loss ~1e-7
          "optimizer": ("sgd", {"lr": 0.1}), "regulariser": {}, "batch_size": 1, "schedule": None,
          "shuffle": False, "seed": 1029})
def test_same_seed_same_trajectory_in_both_packages(problem):
    results = []
    for package in PACKAGES:
        extra = {"dtype": "float64"} if package is fastnet else {}
        net = package.Network(problem["sizes"], problem["activation"], seed=problem["seed"],
                              **problem["regulariser"], **extra)
        history = net.fit(problem["X"], problem["Y"], epochs=4, batch_size=problem["batch_size"],
                          optimizer=make_optimizer(package, *problem["optimizer"]),
                          schedule=problem["schedule"], shuffle=problem["shuffle"], seed=problem["seed"])
        results.append((net.get_params(), history))
    (pure_params, pure_history), (fast_params, fast_history) = results
    assert_close(pure_params, fast_params, rtol=1e-9, atol=1e-10)
    # a loss near 0 is a difference of nearly equal numbers: its rounding is absolute, not relative
    assert_close(pure_history.loss, fast_history.loss, rtol=1e-9, atol=1e-12)
    assert fast_history.accuracy == pure_history.accuracy
    assert fast_history.lr == pure_history.lr


def xor_data():
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 8
    Y = [0, 1, 1, 0] * 8
    return X, Y


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("batch_size", [1, 4, "all"])
def test_learns_xor_online_minibatch_and_full_batch(package, batch_size):
    X, Y = xor_data()
    net = package.Network([2, 8, 2], activation="tanh", seed=1)
    history = net.fit(X, Y, epochs=60 if batch_size == "all" else 30, batch_size=batch_size,
                      optimizer=package.Adam(lr=0.05), seed=0)
    assert history.loss[-1] < history.loss[0] / 5
    assert list(net.predict(X[:4])) == [0, 1, 1, 0]


@pytest.mark.parametrize("package", PACKAGES)
def test_validation_split_takes_the_last_samples_and_reports(package):
    X, Y = xor_data()
    net = package.Network([2, 4, 2], seed=0)
    history = net.fit(X, Y, epochs=3, batch_size=4, validation_split=0.25)
    assert len(history.val_loss) == 3 and all(math.isfinite(v) for v in history.val_loss)
    assert history.val_accuracy[0] is not None
    net2 = package.Network([2, 4, 2], seed=0)
    history2 = net2.fit(X[:24], Y[:24], epochs=3, batch_size=4, validation_data=(X[24:], Y[24:]))
    assert history2.val_loss == pytest.approx(history.val_loss)


def test_history_says_how_many_epochs_it_holds():
    X, Y = xor_data()
    for package in PACKAGES:
        net = package.Network([2, 2], seed=0)
        assert repr(net.fit(X, Y, epochs=1)).startswith("History(1 epoch, last loss ")
        assert repr(net.fit(X, Y, epochs=2)).startswith("History(2 epochs, last loss ")
        with_validation = net.fit(X, Y, epochs=1, validation_data=(X, Y))
        assert repr(with_validation) == (f"History(1 epoch, last loss {with_validation.loss[-1]:.4f}, "
                                         f"val_loss {with_validation.val_loss[-1]:.4f})")


@pytest.mark.parametrize("package", PACKAGES)
def test_early_stopping_keeps_the_best_parameters(package):
    X, Y = xor_data()
    net = package.Network([2, 4, 2], seed=0)
    # a learning rate so large the validation loss gets worse: stop and restore the best epoch
    history = net.fit(X, Y, epochs=50, batch_size=4, optimizer=package.SGD(lr=50.0),
                      validation_data=(X, Y), patience=2)
    assert history.stopped_early
    assert history.epochs == history.best_epoch + 3
    assert net.evaluate(X, Y).loss == pytest.approx(min(history.val_loss), rel=1e-5)


@pytest.mark.parametrize("package", PACKAGES)
def test_a_diverging_loss_stops_with_a_clear_message(package):
    X = [[1.0, -1.0], [-1.0, 1.0]] * 4
    Y = [0.0, 1.0] * 4
    net = package.Network([2, 16, 1], activation="linear", output="linear", loss="mse", seed=0)
    with pytest.raises(purenet.TrainingDiverged, match=r"at epoch \d+, batch \d+ of \d+: the learning rate 10 is "
                                                      r"too high for this network; try 1, on a new network"):
        net.fit(X, Y, epochs=50, batch_size=2, optimizer=package.SGD(lr=10.0))
    # the weights it left cannot be trained on at any rate, and the error says so, not "lower the rate"
    with pytest.raises(purenet.TrainingDiverged, match="the loss is (nan|inf) on the first batch, before any "
                                                      "training step: the network's weights, the inputs or"):
        net.fit(X, Y, epochs=1, batch_size=2, optimizer=package.SGD(lr=1e-6))
    if package is fastnet:  # targets whose squares float32 cannot hold: not the rate either
        with pytest.raises(purenet.TrainingDiverged, match="before any training step: .* the targets"), \
                pytest.warns(UserWarning, match="the training targets are large"):
            package.Network([2, 1], output="linear", loss="mse", seed=0).fit(X, [1e20, -1e20] * 4, epochs=1)


@pytest.mark.parametrize("package", PACKAGES)
def test_schedules_set_the_learning_rate_per_epoch(package):
    X, Y = xor_data()
    net = package.Network([2, 3, 2], seed=0)
    history = net.fit(X, Y, epochs=4, optimizer=package.SGD(lr=0.4), schedule=package.StepDecay(2, 0.5))
    assert history.lr == [0.4, 0.4, 0.2, 0.2]
    history = package.Network([2, 3, 2], seed=0).fit(X, Y, epochs=4, optimizer=package.SGD(lr=0.4),
                                                      schedule="cosine")
    assert history.lr[0] == 0.4 and history.lr[1] < 0.4 and history.lr == sorted(history.lr, reverse=True)


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=0), "epochs must be at least 1"),
    (dict(batch_size=0), "batch_size must be at least 1"),
    (dict(batch_size="some"), "batch_size must be a whole number, or 'all' for full-batch descent; got 'some'"),
    (dict(validation_split=1.0), "validation_split must be in"),
    (dict(validation_split=0.01), "both need at least one"),
    (dict(optimizer="rmsprop"), "optimizer='rmsprop' is not known; choose one of: sgd, adam"),
    (dict(schedule="linear"), "schedule='linear' is not known"),
    (dict(patience=0), "patience must be at least 1"),
    (dict(validation_data=([[0.0, 1.0]], [3])), "validation_data: Y: sample 0 has label 3"),
    (dict(validation_data=([[0.0]], [1])), "validation_data: X: sample 0 has 1 value, expected 2"),
])
def test_bad_fit_arguments(package, kwargs, message):
    X, Y = xor_data()
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        package.Network([2, 3, 2], seed=0).fit(X, Y, **kwargs)


def test_resuming_continues_the_same_trajectory(tmp_path):
    from purenet import checkpoint
    X, Y = xor_data()
    for package in PACKAGES:
        extra = {"dtype": "float64"} if package is fastnet else {}
        straight = package.Network([2, 5, 2], seed=3, dropout=0.2, **extra)
        straight.fit(X, Y, epochs=4, batch_size=5, optimizer=package.Adam(lr=0.01), seed=9)
        halfway = package.Network([2, 5, 2], seed=3, dropout=0.2, **extra)
        path = tmp_path / f"{package.__name__}.checkpoint.safetensors"

        def save(epoch, history, optimizer, best):
            checkpoint.save(path, halfway, optimizer, history, {"epochs": 4})

        halfway.fit(X, Y, epochs=2, batch_size=5, optimizer=package.Adam(lr=0.01), seed=9, on_epoch_end=save)
        net, optimizer, history, settings, _ = checkpoint.load(package, path)
        net.fit(X, Y, epochs=4, batch_size=5, optimizer=optimizer, seed=9, initial_epoch=history.epochs,
                history=history)
        assert_close(straight.get_params(), net.get_params(), rtol=1e-12, atol=1e-14)
        assert history.epochs == 4


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("given", [True, False], ids=["optimizer given", "none given"])
def test_a_later_fit_goes_on_to_new_shuffles_and_dropout(package, given):
    """fit(epochs=1) three times trains as fit(epochs=3) does, and so does a fit continued with
    initial_epoch and the history, rather than repeating the first epoch's order and dropout; a
    fit given no optimizer goes on with the Adam that the first fit made, moments and all."""
    X, Y = xor_data()
    extra = {"dtype": "float64"} if package is fastnet else {}

    def train(*epochs_per_fit, continued=False):
        net = package.Network([2, 5, 2], seed=3, dropout=0.2, **extra)
        optimizer, done = package.SGD(lr=0.1, momentum=0.9) if given else None, 0
        for epochs in epochs_per_fit:
            if continued:
                net.fit(X, Y, epochs=done + epochs, batch_size=5, optimizer=optimizer, initial_epoch=done,
                        history=net.history)
            else:
                net.fit(X, Y, epochs=epochs, batch_size=5, optimizer=optimizer)
            done += epochs
        return flat(net.get_params())

    straight = train(3)
    assert np.array_equal(train(1, 1, 1), straight)
    assert np.array_equal(train(1, 2, continued=True), straight)


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("output, Y, names_classes", [
    ("linear", [[0.3], [1.7], [-2.0], [0.5]], False),  # a regression
    ("linear", [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], True),  # one-hot rows, as with MSE
    ("linear", [[0.0], [1.0], [1.0], [0.0]], True),
    ("sigmoid", [[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]], False),  # several labels a sample
    ("sigmoid", [[0.2], [0.9], [0.6], [0.1]], True),  # the probability of class 1
    ("softmax", [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.1, 0.9]], True),  # soft targets
])
def test_accuracy_only_for_targets_that_name_classes(package, output, Y, names_classes, capsys):
    """A regression's targets name no classes: its fit and evaluate give a loss and no accuracy,
    rather than one counted from thresholds that mean nothing for it."""
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    loss = "cross_entropy" if output == "softmax" else "mse"
    net = package.Network([2, 3, len(Y[0])], output=output, loss=loss, seed=0)
    history = net.fit(X, Y, epochs=2, batch_size=2, optimizer=package.SGD(lr=0.1), validation_data=(X, Y),
                      verbose=True)
    result = net.evaluate(X, Y)
    assert all(math.isfinite(v) for v in history.loss + history.val_loss + [result.loss])
    if names_classes:
        assert all(0.0 <= v <= 1.0 for v in history.accuracy + history.val_accuracy + [result.accuracy])
        assert np.asarray(result.confusion).sum() == 4 and "accuracy" in capsys.readouterr().err
    else:
        assert history.accuracy == history.val_accuracy == [None, None]
        assert tuple(result)[1:] == (None,) * 5 and "accuracy" not in capsys.readouterr().err


@pytest.mark.parametrize("package", PACKAGES)
def test_a_regression_takes_one_target_number_per_sample(package):
    """With one linear output, y = [0.3, 1.7, ...] (as scikit-learn and Keras take it) trains as the
    rows [[0.3], [1.7], ...] do, rather than being refused as class labels."""
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    y = [0.3, 1.7, -2.0, 0.5]

    def trained(Y):
        net = package.Network([2, 3, 1], output="linear", loss="mse", seed=0)
        history = net.fit(X, Y, epochs=3, batch_size=2, optimizer=package.SGD(lr=0.1), validation_data=(X, Y))
        result = net.evaluate(X, Y)
        assert result.accuracy is None  # a regression: the loss alone
        return history.loss + history.val_loss + [result.loss], flat(net.get_params())

    losses, params = trained([[v] for v in y])
    for Y in (y, tuple(y), np.array(y)):
        got_losses, got_params = trained(Y)
        assert got_losses == losses and np.array_equal(got_params, params)
    assert package.Network([2, 1], output="linear", loss="mse", seed=0).loss(X[0], 0.3) == pytest.approx(
        package.Network([2, 1], output="linear", loss="mse", seed=0).loss([X[0]], [[0.3]]))
    with pytest.raises(ValueError, match="has label 0.3, expected a whole number in 0..1"):  # labels, for a sigmoid
        package.Network([2, 1], output="sigmoid", seed=0).loss(X, y)


@pytest.mark.parametrize("package", PACKAGES)
def test_a_rate_set_between_fits_is_where_the_next_fit_starts(package):
    """A schedule spans one fit and starts from the optimizer's rate, not from the rate the last
    fit's schedule left behind; a rate the user sets between fits (opt.lr = 0.01) is the new start."""
    X, Y = xor_data()
    net, optimizer = package.Network([2, 5, 2], seed=3), package.SGD(lr=0.1)
    for _ in range(2):
        net.fit(X, Y, epochs=2, batch_size=5, optimizer=optimizer, schedule="cosine")
        assert net.history.lr == pytest.approx([0.1, 0.05])
    optimizer.lr = 0.01
    net.fit(X, Y, epochs=2, batch_size=5, optimizer=optimizer, schedule="cosine")
    assert net.history.lr == pytest.approx([0.01, 0.005])
    optimizer.lr = 0.02
    net.fit(X, Y, epochs=1, batch_size=5)  # none given: the last fit's
    assert net.optimizer is optimizer and net.history.lr == [0.02] and optimizer.lr == 0.02


@given(seed=st.integers(0, 2**63), epoch=st.integers(0, 1000), n=st.integers(1, 300))
def test_both_packages_shuffle_alike(seed, epoch, n):
    order = purenet.rng.permutation(seed, epoch, n)
    assert sorted(order) == list(range(n))
    key = purenet.rng.shuffle_key(seed, epoch)
    hashes = [purenet.rng.splitmix64(key ^ i) for i in order]
    assert hashes == sorted(hashes)  # cut to 54 bits or more, they do not tie at this size
    assert fastnet.rng.permutation(seed, epoch, n).tolist() == order


def test_unshuffled_batches_are_views_of_the_data():
    """Without shuffling, fastnet's batches are consecutive rows: views, not copies."""
    X = np.random.default_rng(0).random((10, 3))
    net = fastnet.Network([3, 4, 2], seed=0, dtype="float64")
    seen = []
    backprop = net.backprop
    net.backprop = lambda batch, *args, **kwargs: seen.append(batch) or backprop(batch, *args, **kwargs)
    net.fit(X, [0, 1] * 5, epochs=1, batch_size=4, shuffle=False, optimizer=fastnet.SGD(lr=0.1))
    assert [len(batch) for batch in seen] == [4, 4, 2]
    assert all(np.shares_memory(batch, X) for batch in seen)
    np.testing.assert_array_equal(seen[1], X[4:8])


@pytest.mark.parametrize("batch_size", ["all", 100])
def test_a_full_batch_is_the_data_itself(batch_size):
    """A batch of every sample is not shuffled, so not gathered (a copy of the whole training set
    each epoch): its gradient is the same in any order."""
    X = np.random.default_rng(0).random((10, 3))
    net = fastnet.Network([3, 4, 2], seed=0, dtype="float64")
    seen = []
    backprop = net.backprop
    net.backprop = lambda batch, *args, **kwargs: seen.append(batch) or backprop(batch, *args, **kwargs)
    net.fit(X, [0, 1] * 5, epochs=2, batch_size=batch_size, shuffle=True, optimizer=fastnet.SGD(lr=0.1))
    assert len(seen) == 2
    assert all(np.shares_memory(batch, X) and np.array_equal(batch, X) for batch in seen)


@pytest.mark.parametrize("package", PACKAGES)
def test_a_full_batch_trains_alike_shuffled_or_not(package):
    """With dropout, whose factors go by a sample's place in its batch, shuffle=True and False
    take the same full-batch steps."""
    rng = np.random.default_rng(1)
    X, y = rng.random((12, 3)).tolist(), rng.integers(0, 2, 12).tolist()
    extra = {"dtype": "float64"} if package is fastnet else {}
    params = []
    for shuffle in (True, False):
        net = package.Network([3, 5, 2], seed=0, dropout=0.3, **extra)
        net.fit(X, y, epochs=3, batch_size="all", shuffle=shuffle, optimizer=package.SGD(lr=0.5))
        params.append(net.get_params())
    for (W, b), (W_fixed, b_fixed) in zip(*params):
        np.testing.assert_array_equal(W, W_fixed)
        np.testing.assert_array_equal(b, b_fixed)


def test_column_major_data_is_gathered_from_contiguous_rows():
    """A column-major X and targets (pandas' .values often is one) are turned into rows once per
    fit, so that every batch is gathered from whole rows; the training is the same."""
    rng = np.random.default_rng(0)
    X, T = rng.random((40, 6)), np.eye(3)[rng.integers(0, 3, 40)]
    params = []
    for layout in ("C", "F"):
        net = fastnet.Network([6, 5, 3], seed=0, dtype="float64")
        sources = []  # each array a batch was gathered from
        net._take = lambda rows, indices, slot, take=net._take: sources.append(rows) or take(rows, indices, slot)
        net.fit(np.asarray(X, order=layout), np.asarray(T, order=layout), epochs=2, batch_size=8,
                optimizer=fastnet.SGD(lr=0.1))
        assert len(sources) == 2 * 3  # samples, targets and labels, taken once an epoch
        assert all(rows.flags.c_contiguous for rows in sources)
        params.append(net.get_params())
    for (W, b), (W_f, b_f) in zip(*params):
        np.testing.assert_array_equal(W, W_f)
        np.testing.assert_array_equal(b, b_f)


@pytest.mark.parametrize("package", PACKAGES)
def test_batches_taken_many_at_a_time_are_the_batches_of_the_order(package, monkeypatch):
    """fit takes the rows of several batches at once and slices them into batches: whatever a
    take holds (one batch, two, three, all), each batch is the next rows of the order, and the
    training is the same."""
    rng = np.random.default_rng(0)
    X, y = rng.random((23, 3)).round(3).tolist(), rng.integers(0, 2, 23).tolist()
    net = package.Network([3, 4, 2], seed=0)
    samples, targets, labels = net._check(X, y)
    order = net._order(5, 1, 23)
    expected = [order[start:start + 4] for start in range(0, 23, 4)]
    trained = []
    for numbers in (1, 2 * 4 * 3, 3 * 4 * 3, 10 ** 6):  # inputs a take holds: 1, 2, 3, all batches
        monkeypatch.setattr(training, "GATHERED_NUMBERS", numbers)
        # copied as they come: a batch lasts until the next is asked for (fastnet gathers every
        # take into the same arrays)
        batches = [([list(map(float, row)) for row in rows], list(map(int, batch_labels)))
                   for rows, _, batch_labels in training.batches(net, [samples, targets, labels], order, 4)]
        assert batches == [([list(map(float, samples[i])) for i in indices], [y[i] for i in indices])
                           for indices in expected]
        net = package.Network([3, 4, 2], seed=0)
        net.fit(X, y, epochs=2, batch_size=4, optimizer=package.SGD(lr=0.5))
        trained.append(net.get_params())
    assert all(params == trained[0] for params in trained) if package is purenet else all(
        np.array_equal(W, W0) and np.array_equal(b, b0)
        for params in trained for (W, b), (W0, b0) in zip(params, trained[0]))


def test_fastnet_gathers_every_take_of_a_fit_into_the_same_arrays_and_lets_them_go_as_it_ends(monkeypatch):
    """Takes of 16 rows (two batches) of 38: three full takes and a shorter one an epoch, all
    gathered into the same three arrays (samples, targets, labels), made once a fit. As a fit
    ends, however it ends, and after a gradient, the network holds no gathered rows and no
    workspaces: a trained network is its parameters."""
    monkeypatch.setattr(training, "GATHERED_NUMBERS", 2 * 8 * 6)
    rng = np.random.default_rng(0)
    X, y = rng.random((38, 6)), rng.integers(0, 3, 38)
    net = fastnet.Network([6, 5, 3], seed=0)
    made, held = [], []
    empty = np.empty
    monkeypatch.setattr(np, "empty", lambda *args, **kwargs: made.append(args[0]) or empty(*args, **kwargs))

    def look(*_):
        held.append((sorted(array.shape for array in net._gathered.arrays.values()), sorted(net._workspaces)))

    net.fit(X, y, epochs=2, batch_size=8, optimizer=fastnet.SGD(lr=0.1), on_epoch_end=look)
    assert made.count((16, 6)) == made.count((16, 3)) == made.count((16,)) == 1
    assert held == [([(16,), (16, 3), (16, 6)], [6, 8])] * 2  # kept from epoch to epoch (last batch: 6)
    assert not net._gathered.arrays and not net._workspaces
    with pytest.raises(ZeroDivisionError):
        net.fit(X, y, epochs=2, batch_size=8, on_epoch_end=lambda *_: look() or 1 / 0)
    assert held[-1][0] and not net._gathered.arrays and not net._workspaces
    net.gradients(X, y)
    assert not net._workspaces


def test_pickles_and_copies_of_a_trained_network_leave_its_scratch_arrays_behind():
    """The rows gathered for training (here 200 x 784) are not part of the network, even in a
    pickle made while a fit runs: it grows by little more than one batch's arrays, and a copy
    trains on as the original does."""
    rng = np.random.default_rng(0)
    X, y = rng.random((200, 784)).astype(np.float32), rng.integers(0, 10, 200)
    net = fastnet.Network([784, 8, 10], seed=0)
    untrained = len(pickle.dumps(net))
    twins = []

    def copy_it(*_):
        assert net._gathered.arrays  # what is left out
        twins.extend([pickle.dumps(net), copy.deepcopy(net)])

    net.fit(X, y, epochs=1, batch_size=16, optimizer=fastnet.SGD(lr=0.1), on_epoch_end=copy_it)
    assert len(twins[0]) < untrained + X[:16].nbytes + 20_000
    twins[0] = pickle.loads(twins[0])
    for each in [net] + twins:
        each.fit(X, y, epochs=1, batch_size=16, optimizer=fastnet.SGD(lr=0.1))
    for twin in twins:
        for (W, b), (W_twin, b_twin) in zip(net.get_params(), twin.get_params()):
            assert np.array_equal(W, W_twin) and np.array_equal(b, b_twin)


@pytest.mark.parametrize("make_optimizer", [lambda: fastnet.Adam(lr=0.01),
                                            lambda: fastnet.SGD(lr=0.1, momentum=0.9, nesterov=True)])
def test_pickles_and_copies_of_an_optimizer_keep_its_state_and_not_its_scratch_arrays(make_optimizer):
    """An optimizer's pickle holds its velocities or moments, not the scratch array per parameter
    that its step computes in; a copy trains on as the original does."""
    rng = np.random.default_rng(0)
    X, y = rng.random((64, 784)).astype(np.float32), rng.integers(0, 10, 64)
    net, optimizer = fastnet.Network([784, 64, 10], seed=0), make_optimizer()
    net.fit(X, y, epochs=1, batch_size=16, optimizer=optimizer)
    state = sum(array.nbytes for pair in optimizer.state for array in pair)
    assert optimizer._scratch is not None  # what is left out
    assert state < len(pickle.dumps(optimizer)) < state + 20_000
    twins = [pickle.loads(pickle.dumps(optimizer)), copy.deepcopy(optimizer)]
    nets = [net, copy.deepcopy(net), copy.deepcopy(net)]
    for each_net, each in zip(nets, [optimizer] + twins):
        each_net.fit(X, y, epochs=1, batch_size=16, optimizer=each)
    for twin in nets[1:]:
        assert np.array_equal(flat(twin.get_params()), flat(net.get_params()))


@pytest.mark.parametrize("penalty", [dict(), dict(l2=0.01), dict(l1=0.001), dict(l2=0.01, l1=0.001)])
@pytest.mark.parametrize("make_optimizer", [
    lambda nn: nn.SGD(lr=0.05), lambda nn: nn.SGD(lr=0.05, momentum=0.9),
    lambda nn: nn.SGD(lr=0.05, momentum=0.9, nesterov=True), lambda nn: nn.Adam(lr=0.01)])
def test_updates_of_matrices_larger_than_a_block(make_optimizer, penalty, monkeypatch):
    """fastnet updates big matrices block by block, and adds the weight gradient of plain SGD and
    of momentum, penalty included, by gemm (more than SMALL weights); the result is still
    purenet's."""
    assert 70 * 60 > fastnet.blas.SMALL
    monkeypatch.setattr(fastnet.optimizers, "BLOCK", 1000)  # 60 x 70 = 4,200 weights: five blocks, the last short
    rng = np.random.default_rng(1)
    X, y = rng.random((3, 70)).tolist(), [0, 1, 1]
    nets = [purenet.Network([70, 60, 2], seed=3, **penalty),
            fastnet.Network([70, 60, 2], seed=3, dtype="float64", **penalty)]
    for net, nn in zip(nets, PACKAGES):
        net.fit(X, y, epochs=2, batch_size=3, optimizer=make_optimizer(nn))
    assert_close(nets[0].get_params(), nets[1].get_params())


@pytest.mark.parametrize("make_optimizer", [
    lambda: fastnet.Adam(), lambda: fastnet.SGD(lr=0.05, momentum=0.9),
    lambda: fastnet.SGD(lr=0.05, momentum=0.9, nesterov=True)])
def test_moments_and_velocities_never_linger_as_subnormal_numbers(make_optimizer, monkeypatch):
    """A velocity or first moment whose gradient stays 0 shrinks into the subnormal floats, slow to
    compute with; fastnet sets it to 0 first, and the weights come out the same."""
    rng = np.random.default_rng(0)
    X, y = rng.random((16, 4)).astype(np.float32), np.arange(16) % 2
    X[:, 0] = 0.0  # the weights from input 0 get no gradient
    net, optimizer = fastnet.Network([4, 3, 2], seed=0), make_optimizer()
    net.fit(X, y, epochs=1, batch_size=16, optimizer=optimizer)
    decaying = optimizer.state[:2] if isinstance(optimizer, fastnet.Adam) else optimizer.state
    for W, _ in decaying:
        W[:, 0] = 1e-36  # subnormal after some 20 steps at 0.9 a step, and for some 150 more
    unflushed_net, unflushed_optimizer = copy.deepcopy(net), copy.deepcopy(optimizer)
    steps = fastnet.optimizers.FLUSH_EVERY + 20  # one step per epoch

    def subnormal(optimizer):
        smallest_normal = np.finfo(np.float32).tiny
        return any(np.any((a != 0) & (np.abs(a) < smallest_normal)) for pair in optimizer.state for a in pair)

    net.fit(X, y, epochs=steps, batch_size=16, optimizer=optimizer)
    assert not subnormal(optimizer)
    monkeypatch.setattr(fastnet.optimizers, "FLUSH_EVERY", 10 ** 9)
    unflushed_net.fit(X, y, epochs=steps, batch_size=16, optimizer=unflushed_optimizer)
    assert subnormal(unflushed_optimizer)  # what there would be
    for (W, b), (W_unflushed, b_unflushed) in zip(net.get_params(), unflushed_net.get_params()):
        assert np.array_equal(W, W_unflushed) and np.array_equal(b, b_unflushed)


@pytest.mark.parametrize("package", PACKAGES)
def test_resuming_with_early_stopping_still_restores_the_best_epoch(tmp_path, package):
    from purenet import checkpoint
    X, Y = xor_data()
    settings = dict(batch_size=4, validation_data=(X, Y), patience=2)
    straight = package.Network([2, 4, 2], seed=0)
    expected = straight.fit(X, Y, epochs=50, optimizer=package.SGD(lr=50.0), **settings)
    assert expected.stopped_early and expected.best_epoch >= 1
    halfway = package.Network([2, 4, 2], seed=0)
    path = tmp_path / "c.safetensors"
    halfway.fit(X, Y, epochs=expected.best_epoch + 2, optimizer=package.SGD(lr=50.0), **settings,
                on_epoch_end=lambda epoch, history, optimizer, best: checkpoint.save(
                    path, halfway, optimizer, history, {}, best))
    net, optimizer, history, _, best = checkpoint.load(package, path)
    net.fit(X, Y, epochs=50, optimizer=optimizer, initial_epoch=history.epochs, history=history,
            best_params=best, **settings)
    assert history.best_epoch == expected.best_epoch
    assert_close(straight.get_params(), net.get_params(), rtol=1e-12, atol=1e-14)


def test_the_progress_bar_in_a_log_prints_one_line_per_epoch():
    log = io.StringIO()  # not a terminal: no redrawing
    bar = ProgressBar(4, "epoch 1/2", stream=log, width=8)
    for done in range(1, 5):
        bar.update(done, loss=1.0 / done)
    assert log.getvalue() == ""
    bar.close(loss=0.25, accuracy=0.5)
    line = log.getvalue()
    assert line.startswith("epoch 1/2 [########] 4/4  loss 0.2500  accuracy 0.5000  ")
    assert line.endswith(" ms\n") and line.count("\n") == 1
    assert (duration(0.0449), duration(0.1), duration(12.345)) == ("45 ms", "0.1 s", "12.3 s")
