"""Your own digit from an image file, prepared the way MNIST's digits were.

    pixels = read_digit("seven.pgm")    # 784 grey levels, 0..255, white ink on black
    net.predict([[p / 255 for p in pixels]])   # scaled as load_mnist's training images are

MNIST digits are white on black, size-normalised to fit a 20x20 box (keeping their aspect
ratio) and placed in a 28x28 image so that their centre of mass is at the centre. A photo or
a drawing is rarely like that, so:

    1. grey levels 0..255 (purenet reads PGM, with the standard library; fastnet.images reads
       PNG, JPEG and the rest through Pillow)
    2. inverted when it is dark ink on a light background (judged by the border pixels), and
       stretched so that the background is 0 and the strongest ink 255
    3. cropped to the ink, scaled so its longer side is 20 pixels
    4. pasted into 28x28 with its centre of mass at the centre
"""
from __future__ import annotations

import os
import sys
from array import array
from operator import add

from .errors import DataError

SIDE, BOX = 28, 20
INK = 40  # grey level above which a pixel counts as ink when cropping
# The longest side an image is read at. A phone's 12-megapixel photo, read whole, took 7 s and 1 GB
# in Python's lists; shrunk to this, a digit that fills a fifth of it still spans some 100 pixels
# for the prepared digit's 20.
LARGEST = 512


def read_grey(path):
    """An image file -> (width, height, rows of grey levels 0..255 as floats). PGM only."""
    if not is_pgm(path):
        raise DataError(f"{path!r} is not a PGM file; purenet reads PGM only (standard library). "
                        f"Convert it (e.g. `convert digit.png digit.pgm`), or use fastnet, which "
                        f"reads PNG and JPEG through Pillow")
    return read_pgm(path)


def is_pgm(path):
    """True if the file starts as a PGM does (P2 text, P5 binary)."""
    with open_image(path) as file:
        return file.read(2) in (b"P2", b"P5")


def open_image(path):
    """open(path, "rb") with a clear error for a missing file."""
    if not os.path.isfile(path):
        raise DataError(f"{path!r} does not exist or is not a file")
    return open(path, "rb")


def read_pgm(path):
    """A PGM file (P2 text or P5 binary, 8 or 16 bit) -> (width, height, rows of 0..255)."""
    with open_image(path) as file:
        raw = file.read()
    fields, position = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, with # comments between
        while position < len(raw) and raw[position:position + 1].isspace():
            position += 1
        if raw[position:position + 1] == b"#":
            position = raw.find(b"\n", position) + 1 or len(raw)
            continue
        end = position
        while end < len(raw) and not raw[end:end + 1].isspace():
            end += 1
        if end == position:
            raise DataError(f"{path!r}: the PGM header is cut short")
        fields.append(raw[position:end])
        position = end
    try:
        width, height, maxval = (int(field) for field in fields[1:])
    except ValueError:
        raise DataError(f"{path!r}: the PGM header's sizes are not numbers") from None
    if width < 1 or height < 1 or not 1 <= maxval <= 65535:
        raise DataError(f"{path!r}: a PGM of {width}x{height} with maximum {maxval} makes no sense")
    if fields[0] == b"P2":
        try:
            values = [int(v) for v in raw[position:].split()]
        except ValueError:
            raise DataError(f"{path!r}: the PGM holds something that is not a number") from None
    else:
        values = raw[position + 1:]  # one byte a pixel, or two, the high byte first
        if maxval > 255:
            values = array("H", values[:len(values) // 2 * 2])
            if sys.byteorder == "little":
                values.byteswap()
    if len(values) < width * height:
        raise DataError(f"{path!r}: the PGM holds {len(values)} pixels, its header promises {width * height}")
    factor = -(-max(width, height) // LARGEST)  # a photo: millions of pixels for a digit that ends up 20x20
    rows = [shrunk_row(values, width, range(top, min(top + factor, height)), factor)
            for top in range(0, height, factor)]
    scale = 255.0 / maxval
    rows = [[v * scale for v in row] for row in rows]
    return len(rows[0]), len(rows), rows


def shrunk_row(values, width, band, factor):
    """The pixels of rows `band` (values holds rows of `width`) -> one row of the means of blocks of
    factor x factor pixels (the last blocks may be smaller), as Pillow's BOX filter takes them."""
    sums = [0] * width  # of each column over the band
    for r in band:
        sums = list(map(add, sums, values[r * width:(r + 1) * width]))
    if factor == 1:
        return sums
    blocks = [sums[left:left + factor] for left in range(0, width, factor)]
    return [sum(block) / (len(band) * len(block)) for block in blocks]


def prepare(rows):
    """Rows of grey levels (any size) -> 784 ints 0..255, an MNIST-style digit (see above)."""
    height, width = len(rows), len(rows[0])
    border = rows[0] + rows[-1] + [row[0] for row in rows] + [row[-1] for row in rows]
    if sum(border) / len(border) > 127.5:  # light background: make the ink white
        rows = [[255.0 - v for v in row] for row in rows]
        border = [255.0 - v for v in border]
    background = sum(border) / len(border)
    strongest = max(max(row) for row in rows)
    if strongest - background <= INK:
        raise DataError("the image is blank: no stroke darker or lighter than its background was found")
    stretch = 255.0 / (strongest - background)
    rows = [[min(255.0, max(0.0, (v - background) * stretch)) for v in row] for row in rows]
    inked = [(r, c) for r in range(height) for c in range(width) if rows[r][c] > INK]
    top, bottom = min(r for r, _ in inked), max(r for r, _ in inked) + 1
    left, right = min(c for _, c in inked), max(c for _, c in inked) + 1
    crop = [row[left:right] for row in rows[top:bottom]]
    scale = BOX / max(bottom - top, right - left)
    new_h, new_w = max(1, round((bottom - top) * scale)), max(1, round((right - left) * scale))
    small = resize(crop, new_w, new_h)
    mass = sum(sum(row) for row in small) or 1.0
    centre_r = sum(r * v for r, row in enumerate(small) for v in row) / mass
    centre_c = sum(c * v for row in small for c, v in enumerate(row)) / mass
    shift_r = min(max(round(SIDE / 2 - 0.5 - centre_r), 0), SIDE - new_h)
    shift_c = min(max(round(SIDE / 2 - 0.5 - centre_c), 0), SIDE - new_w)
    digit = [0] * (SIDE * SIDE)
    for r, row in enumerate(small):
        for c, v in enumerate(row):
            digit[(r + shift_r) * SIDE + c + shift_c] = min(255, max(0, round(v)))
    return digit


def resize(rows, new_w, new_h, samples=4):
    """Resample rows of grey levels to new_w x new_h: each new pixel is the mean of a
    samples x samples grid of points in its area (good for shrinking and for enlarging)."""
    height, width = len(rows), len(rows[0])
    out = []
    for r in range(new_h):
        line = []
        for c in range(new_w):
            total = 0.0
            for i in range(samples):
                y = min(height - 1, int((r + (i + 0.5) / samples) * height / new_h))
                for j in range(samples):
                    x = min(width - 1, int((c + (j + 0.5) / samples) * width / new_w))
                    total += rows[y][x]
            line.append(total / (samples * samples))
        out.append(line)
    return out


def read_digit(path, read_grey=read_grey):
    """An image file -> 784 grey levels 0..255 of the prepared 28x28 digit."""
    path = os.fspath(path)  # errors show '/a/digit.png', not PosixPath('/a/digit.png')
    _, _, rows = read_grey(path)
    try:
        return prepare(rows)
    except DataError as error:  # one of several --image files: say which
        raise DataError(f"{path!r}: {error}") from None
