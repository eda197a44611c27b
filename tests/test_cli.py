"""The command line, run as a user would: real subprocesses on a small data set on disk."""
import os
import re
import signal
import subprocess
import sys
import time

import pytest

import purenet
from test_data import KAGGLE_HEADER, csv_text, idx_files, write_files

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

    images, _ = idx_files(n_train=300, n_test=40)[1]["test_images"], None
    rows = [list(images[k * 784:(k + 1) * 784]) for k in range(3)]
    (tmp_path / "test.csv").write_text(csv_text(",".join(f"pixel{i}" for i in range(784)), rows))
    result = run(package, "predict", model, "--csv", tmp_path / "test.csv", "--submission", tmp_path / "s.csv")
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "s.csv").read_text().splitlines()
    assert lines[0] == "ImageId,Label" and [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3"]


def test_resume_finishes_the_same_run(tmp_path, digits):
    # a constant rate: a cosine schedule depends on the total number of epochs
    common = ["--data", digits, "--hidden", 6, "--validation", 0, "--batch-size", 20, "--seed", 4, "--schedule", "constant",
              "--dtype", "float64"]
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


def test_ctrl_c_keeps_the_last_checkpoint(tmp_path, digits):
    model = tmp_path / "m.safetensors"
    checkpoint = tmp_path / "m.checkpoint.safetensors"
    environment = dict(os.environ, PYTHONPATH=ROOT)
    command = ["train", "--data", digits, "--hidden", 16, "--epochs", 1000, "--batch-size", 1, "--out", model]
    process = subprocess.Popen([sys.executable, "-m", "purenet", *map(str, command)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    deadline = time.time() + 120
    while not checkpoint.exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert checkpoint.exists(), process.communicate()[1]
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
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
    (["train", "--hidden", "0", "--epochs", "1", "--out", "m.safetensors"], "sizes[1] must be at least 1"),
    (["predict", "m.safetensors"], "say what to predict"),
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
