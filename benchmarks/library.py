"""purenet or fastnet as a benchmark contender: the same adapter for both, since they share one
API. Standard library only, so that it loads under PyPy for purenet.

Every contender starts from the same initial weights: the same seed draws the same parameters in
both packages (and contenders.py copies them into the peers).
"""

LEARNING_RATE = 0.01


class Library:
    """Network(sizes, seed=0) of `package` (purenet or fastnet), trained with SGD."""

    def __init__(self, package, sizes, **settings):
        self.package = package
        self.net = package.Network(list(sizes), seed=0, **settings)

    def data(self, X, y):
        return self.net._check(X, y)[:2]

    def step(self, batch):
        X, T = batch
        self.net.backprop(X, T)
        self.optimizer.step(self.net.layers)

    def epoch(self, X, y, batch_size):
        self.net.fit(X, y, epochs=1, batch_size=batch_size, optimizer=self.optimizer)

    def infer(self, X):
        return self.net.predict_proba(X)

    def reset_optimizer(self):
        self.optimizer = self.package.SGD(lr=LEARNING_RATE)
