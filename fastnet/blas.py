"""Matrix products through the BLAS that NumPy itself uses, for what np.matmul cannot say.

np.matmul(A, B, out=C) computes C = A B. The BLAS routine underneath it, gemm, computes

    C = alpha A B + beta C

that is, it can scale the product and add it to what C holds, in the same pass over C. Plain
SGD's update is such a product: W = W - lr dL/dW with dL/dW = delta^T a, so the BLAS adds
-lr delta^T a straight into the weights (alpha = -lr, beta = 1), and no gradient array is
written, read back and subtracted.

The optimizers' updates are sums of two scaled arrays, such as Adam's m = beta1 m + (1 - beta1) g,
which NumPy makes in three passes (m *= beta1, a product into a temporary, m += it). The BLAS's
axpby (an OpenBLAS routine) makes them in one: `axpby`.

np.matmul also leaves a product to its own loop, not the BLAS, when it is a column times a row:
the weight gradient of one sample (delta^T a with one row each), and the products of a layer with
one input or one output. `matmul`, which fastnet's layers use for every product, gives those to
gemm.

NumPy does not export gemm, so `gemm` calls the one in the BLAS library NumPy has loaded (OpenBLAS
in NumPy's wheels, found by `find_routines`). Where there is none it can use, `gemm` computes the
same with np.matmul and one more elementwise pass, and `axpby` with NumPy's passes: slower, the
same numbers to rounding. `configuration` says which processor's kernels OpenBLAS runs, for the
benchmark's record.
"""
from __future__ import annotations

import ctypes
import glob
import os

import numpy as np

ROW_MAJOR, NO_TRANSPOSE, TRANSPOSE = 101, 111, 112  # CBLAS's enum values

# numbers in a product's result: below this many, the 3 us that a BLAS call through ctypes adds
# to np.matmul's cost more than the call saves (measured on 10 x 32 and 10 x 128 layers)
SMALL = 4096


def gemm(a, b, out, alpha=1.0, beta=0.0):
    """out = alpha * a @ b + beta * out, in place; returns out.

    a (m, k), b (k, n), out (m, n): 2-D arrays of one float dtype; each may be a transposed
    view (a.T of a C-contiguous array costs nothing: the BLAS reads it transposed). out must
    not share memory with a or b. With beta = 0, what out held is ignored (NaN included).
    """
    return _gemm(ROUTINES, a, b, out, alpha, beta)


def axpby(alpha, x, beta, y):
    """y = alpha * x + beta * y, in place, in one pass over y; returns y.

    x, y: arrays of one shape and float dtype. The BLAS takes them if both are C-contiguous and
    hold more than SMALL numbers; otherwise NumPy computes the same in three passes."""
    routine = AXPBY.get(y.dtype.char)
    if (routine is None or y.size <= SMALL or x.dtype != y.dtype or x.shape != y.shape
            or not (x.flags.c_contiguous and y.flags.c_contiguous and y.flags.writeable)):
        if beta != 1.0:
            y *= beta
        y += alpha * x
    else:
        routine(y.size, alpha, _address(x, NO_TRANSPOSE), 1, beta, _address(y, NO_TRANSPOSE), 1)
    return y


def matmul(a, b, out=None):
    """np.matmul(a, b, out=out) for 2-D arrays, by the BLAS also where a has one column.

    Such a product (a column times a row, an outer product) np.matmul computes in a loop of its
    own, not in the BLAS: 6x slower for a large one (the 128 x 784 weight gradient of one sample:
    146 us against 23 us). gemm takes those."""
    if a.shape[1] != 1 or a.shape[0] * b.shape[1] <= SMALL:
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((a.shape[0], b.shape[1]), np.result_type(a, b))
    return gemm(a, b, out)


def _gemm(routines, a, b, out, alpha, beta):
    """gemm with the given {dtype character: BLAS routine} ({}: np.matmul only)."""
    m, k = a.shape
    n = b.shape[1]
    if b.shape[0] != k or out.shape != (m, n):
        raise ValueError(f"gemm: shapes {a.shape} @ {b.shape} do not give {out.shape}")
    result = out
    if not out.flags.c_contiguous and out.flags.f_contiguous:
        a, b, out, m, n = b.T, a.T, out.T, n, m  # out^T = b^T a^T: the same numbers, out C-contiguous
    trans_a, lda = _layout(a)
    trans_b, ldb = _layout(b)
    routine = routines.get(out.dtype.char)
    if (routine is None or not (lda and ldb and m and n and k) or a.dtype != out.dtype
            or b.dtype != out.dtype or not out.flags.c_contiguous or not out.flags.writeable):
        _numpy_gemm(a, b, out, alpha, beta)
    else:
        routine(ROW_MAJOR, trans_a, trans_b, m, n, k, alpha, _address(a, trans_a), lda,
                _address(b, trans_b), ldb, beta, _address(out, NO_TRANSPOSE), n)
    return result


def _layout(array):
    """(transposed?, leading dimension) of a 2-D operand as row-major CBLAS takes it; the
    leading dimension is 0 if neither the array nor its transpose is C-contiguous."""
    flags = array.flags
    if flags.c_contiguous:
        return NO_TRANSPOSE, array.shape[1]
    if flags.f_contiguous:
        return TRANSPOSE, array.shape[0]
    return NO_TRANSPOSE, 0


def _address(array, transposed):
    """The address of the array's first element. (ctypes reads it from the buffer of the array,
    or of its transpose, which is C-contiguous, three times faster than array.ctypes.data;
    read-only arrays do not lend that buffer.)"""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(array.T if transposed == TRANSPOSE else array))
    except (TypeError, ValueError, BufferError):
        return array.ctypes.data


def _numpy_gemm(a, b, out, alpha, beta):
    """gemm with np.matmul: the product in a new array, then scaled and added."""
    product = np.matmul(a, b)
    if alpha != 1.0:
        product *= alpha
    if beta == 0.0:
        np.copyto(out, product)
    else:
        if beta != 1.0:
            out *= beta
        out += product
    return out


# Finding gemm in NumPy's BLAS

# (symbol of sgemm, of dgemm, width of the BLAS's integers) in the libraries NumPy ships with:
# OpenBLAS with 64-bit integers as NumPy's wheels have it (its symbols renamed), or a 32-bit one.
SYMBOLS = (("scipy_cblas_sgemm64_", "scipy_cblas_dgemm64_", ctypes.c_int64),
           ("cblas_sgemm64_", "cblas_dgemm64_", ctypes.c_int64),
           ("cblas_sgemm", "cblas_dgemm", ctypes.c_int32))


def find_routines():
    """{dtype character: gemm routine} from NumPy's BLAS, checked on small products; {} if
    there is none that can be used."""
    return _find(SYMBOLS, _bind, _works)


def _find(symbols, bind, works):
    """{dtype character: routine} for the first (single, double, integer type) of `symbols`
    that a library of NumPy's BLAS has, declared by `bind` and passing `works`; {} if none."""
    for library in _libraries():
        for single, double, integer in symbols:
            if hasattr(library, single) and hasattr(library, double):
                routines = {"f": bind(getattr(library, single), integer, ctypes.c_float),
                            "d": bind(getattr(library, double), integer, ctypes.c_double)}
                if works(routines):
                    return routines
    return {}


def _libraries():
    """The libraries of _library_paths() that load, in that order."""
    for path in _library_paths():
        try:
            yield ctypes.CDLL(path)
        except OSError:
            continue


def _library_paths():
    """Files that may be NumPy's BLAS: those beside NumPy in its wheels (numpy.libs on Linux and
    Windows, numpy/.dylibs on macOS), then the BLAS libraries this process has loaded (Linux)."""
    numpy_folder = os.path.dirname(np.__file__)
    paths = glob.glob(os.path.join(os.path.dirname(numpy_folder), "numpy.libs", "*blas*"))
    paths += glob.glob(os.path.join(numpy_folder, ".dylibs", "*blas*"))
    try:
        with open("/proc/self/maps") as maps:
            loaded = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
        paths += sorted(path for path in loaded if path.startswith("/"))
    except OSError:
        pass
    return paths


def _bind(function, integer, real):
    """Declare cblas_?gemm's arguments: order, transposes, m, n, k, alpha, a, lda, b, ldb,
    beta, c, ldc (alpha and beta are floats for sgemm, doubles for dgemm)."""
    function.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, integer, integer, integer,
                         real, ctypes.c_void_p, integer, ctypes.c_void_p, integer,
                         real, ctypes.c_void_p, integer]
    function.restype = None
    return function


def _works(routines):
    """Do these routines give np.matmul's answer, with alpha, beta and a transpose, in both
    precisions?"""
    for dtype in (np.float32, np.float64):
        a = np.arange(6, dtype=dtype).reshape(2, 3)
        b = np.arange(12, dtype=dtype).reshape(4, 3)
        out = np.ones((2, 4), dtype)
        _gemm(routines, a, b.T, out, 2.0, 0.5)
        if not np.array_equal(out, 2.0 * (a @ b.T) + 0.5):
            return False
    return True


ROUTINES = find_routines()  # {} where NumPy's BLAS cannot be used: gemm then uses np.matmul


# Finding axpby beside gemm: OpenBLAS has it, other BLAS libraries may not

AXPBY_SYMBOLS = (("scipy_cblas_saxpby64_", "scipy_cblas_daxpby64_", ctypes.c_int64),
                 ("cblas_saxpby64_", "cblas_daxpby64_", ctypes.c_int64),
                 ("cblas_saxpby", "cblas_daxpby", ctypes.c_int32))


def find_axpby():
    """{dtype character: axpby routine} from NumPy's BLAS, checked; {} if there is none."""
    return _find(AXPBY_SYMBOLS, _bind_axpby, _axpby_works)


def _bind_axpby(function, integer, real):
    """Declare cblas_?axpby's arguments: n, alpha, x, incx, beta, y, incy."""
    function.argtypes = [integer, real, ctypes.c_void_p, integer, real, ctypes.c_void_p, integer]
    function.restype = None
    return function


def _axpby_works(routines):
    """Do these routines give alpha x + beta y in both precisions?"""
    for dtype, routine in ((np.float32, routines["f"]), (np.float64, routines["d"])):
        x, y = np.arange(5, dtype=dtype), np.ones(5, dtype)
        routine(5, 2.0, _address(x, NO_TRANSPOSE), 1, 0.5, _address(y, NO_TRANSPOSE), 1)
        if not np.array_equal(y, 2.0 * np.arange(5) + 0.5):
            return False
    return True


AXPBY = find_axpby() if ROUTINES else {}  # {}: axpby uses NumPy


# What the BLAS says of itself: the kernels OpenBLAS chose for this processor, for the benchmark's record

CONFIG_SYMBOLS = ("scipy_openblas_get_config64_", "openblas_get_config64_", "openblas_get_config")


def configuration():
    """OpenBLAS's description of itself, with the kernels it runs on this processor (such as
    "OpenBLAS 0.3.31 USE64BITINT DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"), or None
    where NumPy's BLAS is not an OpenBLAS found here."""
    for library in _libraries():
        for symbol in CONFIG_SYMBOLS:
            if hasattr(library, symbol):
                function = getattr(library, symbol)
                function.argtypes, function.restype = [], ctypes.c_char_p
                return " ".join(function().decode(errors="replace").split())
    return None
