"""A data set of 28x28 grey images with labels 0..9, kept as raw bytes.

Pixels are n * 784 unsigned bytes, image after image, row after row (0 = background, 255 = ink);
labels are n bytes. Keeping bytes makes the shared loader cheap for both packages: purenet turns
them into lists of floats, fastnet into arrays, each only for the part it uses.
"""
from __future__ import annotations

from ..checksum import sha256_hex
from ..errors import DataError
from .catalog import DATASETS, PARTS

PIXELS = 784


class Dataset:
    """train_images, train_labels, test_images, test_labels: bytes (test may be None)."""

    def __init__(self, name, train_images, train_labels, test_images=None, test_labels=None,
                 source="", verified=False):
        self.name = name
        self.train_images, self.train_labels = train_images, train_labels
        self.test_images, self.test_labels = test_images, test_labels
        self.source = source
        self.verified = verified
        self.check()

    @property
    def title(self):
        return DATASETS.get(self.name, {}).get("title", self.name)

    @property
    def classes(self):
        return DATASETS.get(self.name, {}).get("classes", [str(d) for d in range(10)])

    @property
    def n_train(self):
        return len(self.train_labels)

    @property
    def n_test(self):
        return 0 if self.test_labels is None else len(self.test_labels)

    def parts(self):
        return {part: getattr(self, part) for part in PARTS}

    def check(self):
        """Counts, shapes and label range; raises DataError naming what does not fit."""
        for split in ("train", "test"):
            images, labels = getattr(self, f"{split}_images"), getattr(self, f"{split}_labels")
            if images is None and labels is None and split == "test":
                continue
            if images is None or labels is None:
                raise DataError(f"{self.source}: the {split} images or labels are missing")
            if len(labels) == 0:
                raise DataError(f"{self.source}: the {split} set is empty")
            if len(images) != len(labels) * PIXELS:
                raise DataError(f"{self.source}: {len(labels)} {split} labels but "
                                f"{len(images) / PIXELS:g} images of 28x28 pixels")
            if max(labels) > 9:
                raise DataError(f"{self.source}: a {split} label is {max(labels)}, outside 0..9")

    def matches_published(self):
        """True if every array's SHA-256 is the published one for this data set."""
        known = DATASETS.get(self.name, {}).get("payloads", {})
        return bool(known) and all(
            value is not None and sha256_hex(value) == known[part]
            for part, value in self.parts().items())

    def describe(self):
        check = "checksums verified" if self.verified else "not the published files: checksums unverified"
        return (f"{self.title}: {self.n_train} training and {self.n_test} test images "
                f"from {self.source} ({check})")
