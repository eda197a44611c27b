"""Pictures in the terminal: a 28x28 digit in Unicode half blocks, probabilities as bars.

Each character cell shows two pixel rows: the upper half block for the top pixel, the lower for
the bottom one, so a 28x28 image takes 14 lines of 28 characters.

    >>> print(bar_lines([0.9, 0.1], ["zero", "one"], width=10)[0])
    0 zero █████████   90.0%
"""
from __future__ import annotations

SIDE = 28
INK = 96  # a grey level (0..255) above this is drawn as ink


def digit_lines(pixels, side=SIDE, threshold=INK):
    """side*side grey levels (0..255, or 0..1 floats) -> side/2 lines of half blocks."""
    pixels = [float(p) for p in pixels]
    if len(pixels) != side * side:
        raise ValueError(f"a digit needs {side * side} pixels, got {len(pixels)}")
    if max(pixels, default=0.0) <= 1.0:
        pixels = [p * 255.0 for p in pixels]
    glyphs = {(False, False): " ", (True, False): "\u2580", (False, True): "\u2584", (True, True): "\u2588"}
    lines = []
    for row in range(0, side, 2):
        top = pixels[row * side:(row + 1) * side]
        bottom = pixels[(row + 1) * side:(row + 2) * side] if row + 1 < side else [0.0] * side
        lines.append("".join(glyphs[t > threshold, b > threshold] for t, b in zip(top, bottom)))
    return lines


def bar_lines(probabilities, classes=None, width=20, are_probabilities=True):
    """One line per class: its index, name, a bar as long as its probability, the percentage.

    With are_probabilities=False (a linear output layer's values, which may be negative or above
    1) the bars are scaled to the largest value, negative values get none, and the value itself is
    printed."""
    values = [float(p) for p in probabilities]
    # 12 characters hold Fashion-MNIST's longest name, T-shirt/top, and keep a line within 80
    names = [str(name)[:12] for name in (classes or [""] * len(values))]
    if names == [str(j) for j in range(len(names))]:
        names = [""] * len(names)  # digits: the index says it all
    width_of_names = max(len(name) for name in names)
    full = 1.0 if are_probabilities else max(max(values), 1e-12)
    shown = "{:6.1%}" if are_probabilities else "{:7.3f}"
    return [f"{j} {names[j]:<{width_of_names}} {chr(0x2588) * round(max(v, 0.0) / full * width):<{width}} "
            f"{shown.format(v)}" for j, v in enumerate(values)]


def side_by_side(left, right, gap=4):
    """Two blocks of lines next to each other."""
    width = max((len(line) for line in left), default=0)
    n = max(len(left), len(right))
    left, right = left + [""] * (n - len(left)), right + [""] * (n - len(right))
    return [f"{a:<{width}}{' ' * gap}{b}".rstrip() for a, b in zip(left, right)]


def framed(lines):
    """The lines in a thin box, so the edges of the 28x28 are visible."""
    width = max(len(line) for line in lines)
    return (["\u250c" + "\u2500" * width + "\u2510"] + [f"\u2502{line:<{width}}\u2502" for line in lines]
            + ["\u2514" + "\u2500" * width + "\u2518"])
