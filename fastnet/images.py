"""Your own digit from any image file: purenet.images, plus PNG, JPEG and the rest through Pillow.

    pixels = read_digit("seven.png")    # 784 grey levels, 0..255, prepared as MNIST's digits
    net.predict(np.array(pixels) / 255)  # scaled as load_mnist's training images are

Pillow is an optional extra: pip install 'purenet[image]'. PGM files need nothing.
"""
from __future__ import annotations

import os

from purenet import images
from purenet.errors import DataError, MissingDependency


def read_grey(path):
    """An image file -> (width, height, rows of grey levels 0..255 as floats)."""
    if images.is_pgm(path):
        return images.read_pgm(path)
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        raise MissingDependency(f"reading {os.path.basename(path)!r} needs Pillow: pip install 'purenet[image]' "
                                f"(or give a PGM file, which needs nothing)") from None
    try:
        with Image.open(path) as image:
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                image = on_background(image.convert("RGBA"), Image)
            grey = image.convert("L")
            if max(grey.size) > images.LARGEST:  # a photo: millions of pixels for a digit that ends up 20x20
                grey.thumbnail((images.LARGEST,) * 2, getattr(Image, "Resampling", Image).BOX)  # area means
            width, height = grey.size
            values = list(grey.tobytes())
    except (UnidentifiedImageError, OSError) as error:
        raise DataError(f"{path!r} is not an image Pillow can read ({error})") from None
    return width, height, [[float(v) for v in values[r * width:(r + 1) * width]] for r in range(height)]


def on_background(rgba, Image):
    """Ink on a transparent background (as drawing programs save it) -> the same ink on paper that
    it stands out from: white under dark ink, black under light ink. Converted to grey as it is, a
    transparent background would take the colour its pixels happen to hold, often the ink's."""
    from PIL import ImageStat
    alpha = rgba.getchannel("A")
    dark = alpha.getbbox() is None or ImageStat.Stat(rgba.convert("L"), mask=alpha).mean[0] < 128
    paper = 255 if dark else 0
    return Image.alpha_composite(Image.new("RGBA", rgba.size, (paper, paper, paper, 255)), rgba)


def read_digit(path):
    """An image file -> 784 grey levels 0..255 of the prepared 28x28 digit (see purenet.images)."""
    return images.read_digit(path, read_grey)
