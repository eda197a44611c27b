"""Small helpers for comparing purenet's lists with fastnet's arrays."""
import numpy as np

import fastnet
import purenet


def build_pair(problem, **extra):
    """The same network in purenet and in fastnet (float64), with the problem's parameters."""
    settings = {key: problem[key] for key in ("sizes", "activation", "output", "loss")}
    settings.update(extra)
    pure = purenet.Network(**settings, seed=0)
    fast = fastnet.Network(**settings, seed=0, dtype="float64")
    pure.set_params(problem["params"])
    fast.set_params(problem["params"])
    return pure, fast


def assert_close(pure, fast, rtol=1e-9, atol=1e-12):
    """Compare nested lists (purenet) with arrays or nested arrays (fastnet)."""
    if isinstance(pure, (list, tuple)) and pure and isinstance(pure[0], tuple):
        assert len(pure) == len(fast)
        for p, f in zip(pure, fast):
            for p_part, f_part in zip(p, f):
                assert_close(p_part, f_part, rtol, atol)
        return
    np.testing.assert_allclose(np.asarray(fast, dtype=np.float64), np.asarray(pure, dtype=np.float64),
                               rtol=rtol, atol=atol)


def flat(params):
    return np.concatenate([np.ravel(np.asarray(part, dtype=np.float64)) for pair in params for part in pair])
