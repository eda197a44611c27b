"""purenet as a benchmark contender (standard library only, for CPython and PyPy).

The same three measurements as contenders.py, on lists: purenet starts from the same initial
weights as the others, since the same seed draws the same parameters in both packages.
"""
import purenet

LEARNING_RATE = 0.01


class Purenet:
    def __init__(self, sizes):
        self.net = purenet.Network(list(sizes), seed=0)

    def data(self, X, y):
        return self.net._check(X, y)[:2]

    def step(self, batch):
        samples, targets = batch
        self.net.backprop(samples, targets)
        self.optimizer.step(self.net.layers)

    def epoch(self, X, y, batch_size):
        self.net.fit(X, y, epochs=1, batch_size=batch_size, optimizer=self.optimizer)

    def infer(self, X):
        return self.net.predict_proba(X)

    def reset_optimizer(self):
        self.optimizer = purenet.SGD(lr=LEARNING_RATE)
