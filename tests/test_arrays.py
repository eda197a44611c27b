"""fastnet.arrays: the reductions of a step give NumPy's answers, and its constants stay constant."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fastnet import arrays


@given(st.integers(1, 300), st.integers(1, 40), st.sampled_from(["float32", "float64"]), st.integers(0, 2**32 - 1))
def test_row_maxima_row_sums_and_column_sums_are_numpys(n, k, dtype, seed):
    x = (np.random.default_rng(seed).standard_normal((n, k)) * 100).astype(dtype)
    np.testing.assert_array_equal(arrays.row_maxima(x), x.max(axis=1, keepdims=True))
    tolerance = 1e-4 if dtype == "float32" else 1e-12  # the BLAS sums in another order
    sums = arrays.row_sums(x)
    assert sums.shape == (n, 1) and sums.dtype == x.dtype
    np.testing.assert_allclose(sums, x.sum(axis=1, keepdims=True), rtol=tolerance, atol=tolerance * 100 * k)
    out = np.full(k, np.nan, dtype)
    assert arrays.column_sums(x, out) is out
    np.testing.assert_allclose(out, x.sum(axis=0), rtol=tolerance, atol=tolerance * 100 * n)


def test_reductions_carry_nan_and_infinity_as_numpy_does():
    x = np.array([[1.0, np.nan, 2.0], [np.inf, 0.0, 1.0], [np.inf, -np.inf, 0.0]], np.float32)
    with np.errstate(invalid="ignore"):  # inf - inf, as NumPy's own sums would warn
        check_reductions(x)


def check_reductions(x):
    np.testing.assert_array_equal(arrays.row_maxima(x), x.max(axis=1, keepdims=True))
    np.testing.assert_array_equal(arrays.row_sums(x), x.sum(axis=1, keepdims=True))
    np.testing.assert_array_equal(arrays.column_sums(x, np.empty(3, np.float32)), x.sum(axis=0))


def test_constants_are_kept_read_only_and_grow():
    for value in (0, 1):
        for dtype in (np.float32, np.float64):
            small = arrays.constant(value, (2, 3), dtype)
            large = arrays.constant(value, (300, 400), dtype)  # larger than any kept before
            for array, shape in ((small, (2, 3)), (large, (300, 400)), (arrays.constant(value, (5,), dtype), (5,))):
                assert array.shape == shape and array.dtype == dtype and (array == value).all()
                with pytest.raises(ValueError):
                    array.flat[0] = 7.0
    assert not arrays.constant(0, (10,), np.float32).any()  # ones and zeros are kept apart


def test_constants_are_laid_out_in_the_order_asked_for():
    rows, columns = arrays.constant(1, (30, 20), np.float32), arrays.constant(1, (30, 20), np.float32, "F")
    assert rows.flags.c_contiguous and not rows.flags.f_contiguous
    assert columns.flags.f_contiguous and not columns.flags.c_contiguous
    assert columns.shape == (30, 20) and (columns == 1).all() and not columns.flags.writeable
    assert arrays.order_of(columns) == "F" and arrays.order_of(rows) == "C"
    assert arrays.order_of(np.ones((1, 5))) == "C"  # both at once: rows
