"""Pictures: PNG files from fastnet.plots, terminal drawings, and digits from image files."""
import struct
import sys

import numpy as np
import pytest

import fastnet
import purenet
from fastnet import plots
from purenet import drawing, images
from purenet.data import catalog
from purenet.errors import DataError, MissingDependency

pytest.importorskip("matplotlib", reason="the dev extra installs matplotlib")


def png_size(path):
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    with open(path, "rb") as file:
        head = file.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def trained():
    """A small fastnet trained on blobs shaped as 28x28 images, with its history."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 120)
    X = rng.random((120, 784)) * 0.3
    for c in range(3):
        X[y == c, c * 200:(c + 1) * 200] += 0.7
    net = fastnet.Network([784, 6, 3], seed=0)
    net.fit(X, y, epochs=3, batch_size=20, validation_split=0.25)
    return net, X, y


def test_history_curves(tmp_path, trained):
    net, _, _ = trained
    picture = plots.history_curves(net.history, tmp_path / "history.png")
    assert png_size(picture.path) == (1000, 400)
    assert picture.data["loss"] == net.history.loss and picture.data["val_accuracy"] == net.history.val_accuracy


def test_confusion_heatmap_draws_the_confusion_matrix(tmp_path, trained):
    net, X, y = trained
    result = net.evaluate(X, y)
    picture = plots.confusion_heatmap(result.confusion, tmp_path / "confusion.png", ["a", "b", "c"])
    assert png_size(picture.path)[0] > 100
    assert picture.data == result.confusion.tolist()


def test_misclassified_gallery_shows_exactly_the_wrong_ones(tmp_path, trained):
    net, X, y = trained
    predicted = net.predict(X)
    predicted[:4] = (y[:4] + 1) % 3  # make sure there are some
    picture = plots.misclassified_gallery(X, y, predicted, tmp_path / "wrong.png", limit=100)
    wrong = [k for k in range(len(y)) if predicted[k] != y[k]]
    assert [k for k, _, _ in picture.data] == wrong
    assert all(true != guess for _, true, guess in picture.data)
    assert png_size(picture.path)[0] == 960


def test_a_pictures_size_in_pixels_survives_matplotlibs_truncation():
    # 1.2 * 6 inches at 100 dpi are 719.99... pixels, which older versions of matplotlib cut to 719
    for pixels in range(1, 5000):
        width, height = plots.inches(pixels, 2 * pixels)
        assert int(width * plots.DPI) == pixels and int(height * plots.DPI) == 2 * pixels


def test_probability_bars_and_first_layer(tmp_path, trained):
    net, X, _ = trained
    probabilities = net.predict_proba(X[:1])[0]
    bars = plots.probability_bars(probabilities, tmp_path / "bars.png", image=X[0])
    assert png_size(bars.path) == (800, 320)
    assert bars.data == pytest.approx(probabilities.tolist())
    weights = plots.first_layer_weights(net.get_params()[0][0], tmp_path / "w.png")
    assert weights.data == 6 and png_size(weights.path)[0] == 720
    with pytest.raises(ValueError, match="784 inputs"):
        plots.first_layer_weights([[0.0] * 5], tmp_path / "bad.png")


def test_plots_work_from_purenet_lists_too(tmp_path):
    net = purenet.Network([784, 2, 2], seed=0)
    picture = plots.first_layer_weights(net.get_params()[0][0], tmp_path / "w.png")
    assert picture.data == 2 and png_size(picture.path)


def test_history_curves_take_the_dict_form_and_refuse_no_history(tmp_path, trained):
    net, _, _ = trained
    picture = plots.history_curves(net.history.to_dict(), tmp_path / "history.png")
    assert picture.data["loss"] == net.history.loss
    picture = plots.history_curves({"loss": [1.0, 0.5]}, tmp_path / "loss.png")
    assert picture.data == {"loss": [1.0, 0.5]} and png_size(picture.path) == (500, 400)  # one panel
    for package in (purenet, fastnet):
        assert package.Network([2, 2]).history is None  # no fit yet
    for history in (None, purenet.training.History()):
        with pytest.raises(ValueError, match="needs the History of a fit with at least one epoch"):
            plots.history_curves(history, tmp_path / "none.png")


@pytest.mark.parametrize("draw, expected", [
    (lambda path: plots.confusion_heatmap([[1, 2], [3]], path), "confusion must be a square matrix"),
    (lambda path: plots.confusion_heatmap([[1, 2, 3], [4, 5, 6]], path), "confusion must be a square matrix"),
    (lambda path: plots.confusion_heatmap(None, path), "confusion is None: the evaluation was of targets that name "
     "no classes, such as a regression's"),
    (lambda path: plots.misclassified_gallery([[0.0] * 784] * 3, [0, 1, 2], [1, 1], path),
     "3 images, 3 labels and 2 predictions"),
    (lambda path: plots.misclassified_gallery([[0.0] * 784, [0.0] * 10], [0, 1], [0, 0], path),
     "image 1 has 10 values; a picture of a digit needs 784"),
    (lambda path: plots.probability_bars([0.5, 0.5], path, image=[0.0] * 10), "image has 10 values"),
    (lambda path: plots.first_layer_weights([0.0] * 784, path), "first-layer weights must be a matrix"),
    (lambda path: plots.first_layer_weights([], path), "must have 784 inputs"),
])
def test_bad_input_to_pictures_is_named(tmp_path, draw, expected):
    path = tmp_path / "picture.png"
    with pytest.raises(ValueError, match=expected):
        draw(path)
    assert not path.exists() and list(tmp_path.iterdir()) == []  # nothing written


def test_a_picture_that_cannot_be_written_says_why_as_a_plain_value_error(tmp_path):
    path = tmp_path / "nowhere" / "confusion.png"
    with pytest.raises(ValueError) as caught:
        plots.confusion_heatmap([[1, 2], [3, 4]], path)
    assert type(caught.value) is ValueError  # a picture, not a model file: no ModelFileError
    assert str(caught.value) == (f"cannot write the picture {str(path)!r}: the folder "
                                 f"{str(tmp_path / 'nowhere')!r} does not exist")


def test_missing_matplotlib_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependency, match=r"pip install 'purenet\[plot\]'"):
        plots.pyplot()


# In the terminal

def test_digit_lines_draw_two_pixel_rows_per_line():
    pixels = [0] * 784
    pixels[0] = 255            # top-left: upper half block
    pixels[28 + 1] = 255       # row 1, column 1: lower half block
    pixels[2], pixels[30] = 255, 255  # column 2, both rows: full block
    lines = drawing.digit_lines(pixels)
    assert len(lines) == 14 and all(len(line) == 28 for line in lines)
    assert lines[0][:3] == "\u2580\u2584\u2588" and set(lines[1]) == {" "}
    assert drawing.digit_lines([p / 255 for p in pixels]) == lines  # 0..1 floats too


def test_bar_lines_and_side_by_side():
    bars = drawing.bar_lines([0.25, 0.75], width=8)
    assert bars[1].count("\u2588") == 6 and bars[1].endswith("75.0%")
    fashion = drawing.bar_lines([0.1] * 10, catalog.DATASETS["fashion"]["classes"])
    assert fashion[0].startswith("0 T-shirt/top ")
    beside_a_digit = drawing.side_by_side(drawing.framed(drawing.digit_lines([0] * 784)), fashion)
    assert max(len(line) for line in beside_a_digit) <= 80
    joined = drawing.side_by_side(["ab", "c"], ["x", "y", "z"], gap=1)
    assert joined == ["ab x", "c  y", "   z"]


def test_bars_of_a_linear_output_show_its_values_not_percentages(tmp_path):
    bars = drawing.bar_lines([-0.5, 2.0, 1.0], width=8, are_probabilities=False)
    assert [line.count("\u2588") for line in bars] == [0, 8, 4]
    assert bars[0].endswith(" -0.500") and bars[1].endswith("  2.000") and "%" not in "".join(bars)
    picture = plots.probability_bars([-0.5, 2.0, 1.0], tmp_path / "outputs.png", are_probabilities=False)
    assert picture.data == [-0.5, 2.0, 1.0] and png_size(picture.path)


# Digits from image files

def stroke_image(width=40, height=60, dark_on_light=True):
    """A vertical bar off-centre, as a photo of a '1' might be."""
    background, ink = (250, 10) if dark_on_light else (0, 255)
    rows = [[background] * width for _ in range(height)]
    for r in range(10, 50):
        for c in range(5, 11):
            rows[r][c] = ink
    return rows


def write_pgm(path, rows, binary=True):
    height, width = len(rows), len(rows[0])
    if binary:
        path.write_bytes(f"P5\n# a comment\n{width} {height}\n255\n".encode() + bytes(v for row in rows for v in row))
    else:
        path.write_text(f"P2\n{width} {height}\n255\n" + "\n".join(" ".join(map(str, row)) for row in rows))
    return path


def centre_of_mass(pixels):
    mass = sum(pixels)
    return (sum((k // 28) * v for k, v in enumerate(pixels)) / mass,
            sum((k % 28) * v for k, v in enumerate(pixels)) / mass)


@pytest.mark.parametrize("binary", [True, False])
def test_pgm_is_inverted_cropped_scaled_and_centred(tmp_path, binary):
    digit = images.read_digit(write_pgm(tmp_path / "one.pgm", stroke_image(), binary))
    assert len(digit) == 784 and max(digit) == 255 and min(digit) == 0
    assert digit[0] == 0  # the light background became black
    inked = [k for k, v in enumerate(digit) if v > 0]
    rows = {k // 28 for k in inked}
    assert max(rows) - min(rows) + 1 == 20  # the longer side fills the 20x20 box
    r, c = centre_of_mass(digit)
    assert abs(r - 13.5) <= 1 and abs(c - 13.5) <= 1


def test_light_on_dark_is_not_inverted(tmp_path):
    digit = images.read_digit(write_pgm(tmp_path / "one.pgm", stroke_image(dark_on_light=False)))
    assert digit[0] == 0 and max(digit) == 255


def test_png_through_pillow_matches_the_pgm(tmp_path):
    Image = pytest.importorskip("PIL.Image", reason="the dev extra installs Pillow")
    rows = stroke_image()
    image = Image.new("L", (len(rows[0]), len(rows)))
    image.putdata([v for row in rows for v in row])
    image.save(tmp_path / "one.png")
    pgm = write_pgm(tmp_path / "one.pgm", rows)
    assert fastnet.images.read_digit(tmp_path / "one.png") == images.read_digit(pgm) == fastnet.images.read_digit(pgm)
    with pytest.raises(DataError, match="purenet reads PGM only.*use fastnet"):
        images.read_digit(tmp_path / "one.png")


def test_ink_on_a_transparent_background_is_read_as_on_paper(tmp_path):
    """Drawing programs save ink on transparent pixels, whose colour is often the ink's own."""
    Image = pytest.importorskip("PIL.Image", reason="the dev extra installs Pillow")
    rows = stroke_image()
    on_paper = fastnet.images.read_digit(write_pgm(tmp_path / "one.pgm", rows))
    for ink, hidden in ((0, (0, 0, 0, 0)), (255, (255, 255, 255, 0))):  # black or white ink
        image = Image.new("RGBA", (len(rows[0]), len(rows)), hidden)
        image.putdata([(ink, ink, ink, 255) if v == 10 else hidden for row in rows for v in row])
        image.save(tmp_path / f"ink{ink}.png")
        assert fastnet.images.read_digit(tmp_path / f"ink{ink}.png") == on_paper
        image.convert("LA").save(tmp_path / f"grey{ink}.png")
        assert fastnet.images.read_digit(tmp_path / f"grey{ink}.png") == on_paper
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(tmp_path / "empty.png")
    with pytest.raises(DataError, match="empty.png': the image is blank"):
        fastnet.images.read_digit(tmp_path / "empty.png")


def test_a_photo_is_read_as_the_same_drawing_at_512_pixels(tmp_path):
    Image = pytest.importorskip("PIL.Image", reason="the dev extra installs Pillow")
    ImageDraw = pytest.importorskip("PIL.ImageDraw")
    for scale, name in ((8, "photo.png"), (1, "small.png")):
        image = Image.new("L", (512 * scale, 384 * scale), 230)
        ImageDraw.Draw(image).rectangle((200 * scale, 60 * scale, 240 * scale - 1, 330 * scale - 1), fill=20)
        image.save(tmp_path / name)
    assert fastnet.images.read_grey(tmp_path / "photo.png")[:2] == (512, 384)
    assert fastnet.images.read_digit(tmp_path / "photo.png") == fastnet.images.read_digit(tmp_path / "small.png")


def test_a_photo_in_pgm_is_read_as_the_same_drawing_at_512_pixels(tmp_path):
    for scale, name in ((8, "photo.pgm"), (1, "small.pgm")):
        width, height = 512 * scale, 384 * scale
        pixels = bytearray([230]) * (width * height)
        for r in range(60 * scale, 330 * scale):  # a stroke on block boundaries: shrunk, the small one
            pixels[r * width + 200 * scale:r * width + 240 * scale] = bytes([20]) * (40 * scale)
        (tmp_path / name).write_bytes(b"P5\n%d %d\n255\n" % (width, height) + pixels)
    assert images.read_pgm(tmp_path / "photo.pgm") == images.read_pgm(tmp_path / "small.pgm")
    assert images.read_pgm(tmp_path / "photo.pgm")[:2] == (512, 384)
    assert images.read_digit(tmp_path / "photo.pgm") == images.read_digit(tmp_path / "small.pgm")


def test_a_shrunk_pgm_holds_the_means_of_its_blocks(tmp_path):
    rows = [[(r * 1031 + c * 17) % 256 for c in range(1030)] for r in range(3)]  # blocks of 3 x 3, the last 3 x 1
    width, height, shrunk = images.read_pgm(write_pgm(tmp_path / "wide.pgm", rows))
    assert (width, height) == (344, 1)
    assert shrunk[0][0] == pytest.approx(sum(row[c] for row in rows for c in range(3)) / 9)
    assert shrunk[0][-1] == pytest.approx(sum(row[1029] for row in rows) / 3)


@pytest.mark.parametrize("binary", [True, False])
def test_pgm_of_16_bits_is_scaled_to_255(tmp_path, binary):
    rows = stroke_image()
    if binary:
        pixels = b"".join((v * 257).to_bytes(2, "big") for row in rows for v in row)  # 255 -> 65535
        (tmp_path / "deep.pgm").write_bytes(b"P5\n40 60\n65535\n" + pixels)
    else:
        (tmp_path / "deep.pgm").write_text("P2\n40 60\n65535\n" + " ".join(str(v * 257) for row in rows for v in row))
    width, height, grey = images.read_pgm(tmp_path / "deep.pgm")
    assert (width, height) == (40, 60) and grey == [[pytest.approx(v) for v in row] for row in rows]
    assert images.read_digit(tmp_path / "deep.pgm") == images.read_digit(write_pgm(tmp_path / "one.pgm", rows))


def test_bad_image_files(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="does not exist"):
        images.read_digit(tmp_path / "nothing.png")
    with pytest.raises(DataError, match="blank.pgm': the image is blank"):
        images.read_digit(write_pgm(tmp_path / "blank.pgm", [[200] * 10 for _ in range(10)]))
    (tmp_path / "cut.pgm").write_bytes(b"P5\n10 10\n255\n" + bytes(20))
    with pytest.raises(DataError, match="promises 100"):
        images.read_digit(tmp_path / "cut.pgm")
    (tmp_path / "cut16.pgm").write_bytes(b"P5\n10 10\n1000\n" + bytes(199))
    with pytest.raises(DataError, match="holds 99 pixels, its header promises 100"):
        images.read_digit(tmp_path / "cut16.pgm")
    (tmp_path / "head.pgm").write_bytes(b"P5\n10")
    with pytest.raises(DataError, match="cut short"):
        images.read_digit(tmp_path / "head.pgm")
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(DataError, match="not an image Pillow can read"):
        fastnet.images.read_digit(tmp_path / "text.png")
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(MissingDependency, match=r"pip install 'purenet\[image\]'"):
        fastnet.images.read_digit(tmp_path / "text.png")
