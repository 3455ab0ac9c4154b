"""The multiplicative-update engine shared by every estimator.

One idea serves them all: update one non-negative factor F of the model

    X ~ L @ F @ R,

where L and R are products of the other factors, or absent. For the
beta-divergence the update multiplies F by the ratio of the negative and
positive parts of the gradient, raised to the power gamma(beta) that keeps
the objective from increasing (Fevotte & Idier, 2011).
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
import threadpoolctl

from sklearn_nmfx._beta import model_floor, row_blocks

# Accelerated updates (Gillis & Glineur, 2012): the inner loop may run up to
# floor(1 + ALPHA * rho) times, rho being the cost of the expensive product
# over the cost of one inner step; it stops once a step moves F by less than
# INNER_TOL times the first step.
ALPHA = 4.0
INNER_TOL = 0.05
# Cost of an inner step's elementwise work per entry of F, and of its calls,
# in units of one multiply-add of a matrix product.
ELEMENTWISE_COST = 32
CALL_COST = 10_000
# Row blocks of this many entries stay in cache between the W and H steps.
CACHE_ENTRIES = 1 << 15

# The objective is checked for convergence every CHECK_EVERY iterations.
CHECK_EVERY = 10


def gamma(beta):
    """Exponent that makes the beta-divergence update a descent step."""
    if beta < 1:
        return 1.0 / (2.0 - beta)
    if beta > 2:
        return 1.0 / (beta - 1.0)
    return 1.0


def factor_floor(F):
    """Smallest value an entry of F may take, so that no entry locks at zero.

    Entries that reach exactly zero could never grow again under
    multiplicative updates; they are kept at this floor instead, a relative
    machine epsilon of the factor's initial scale.
    """
    info = np.finfo(F.dtype)
    scale = float(np.max(F)) if F.size else 0.0
    return max(info.eps * scale, info.tiny)


def _dot(A, B):
    """Product of two operands of which either may be sparse."""
    if sp.issparse(A) or sp.issparse(B):
        return np.asarray(A @ B)
    return A @ B


def _left_product(L, Z):
    """``L.T @ Z`` as a C-ordered array, Z dense or sparse."""
    if sp.issparse(Z):
        return np.ascontiguousarray(np.asarray(Z.T @ L).T)
    return L.T @ Z


def sandwich(L, Z, R):
    """``L.T @ Z @ R.T``, either of L and R possibly absent (None).

    The order of the two products is the one that costs less.
    """
    if L is None and R is None:
        return Z
    if L is None:
        return _dot(Z, R.T)
    if R is None:
        return _left_product(L, Z)
    if L.shape[1] <= R.shape[0]:
        return _dot(_left_product(L, Z), R.T)
    return L.T @ _dot(Z, R.T)


def _model_split(L, F, R):
    """Two factors A, B with A @ B == L @ F @ R and a small inner size."""
    if L is None:
        return F, R
    if R is None:
        return L, F
    if F.shape[0] <= F.shape[1]:
        return L, F @ R
    return L @ F, R


def _gram_product(GL, F, GR):
    """``GL @ F @ GR``, either Gram matrix possibly absent (identity)."""
    if GL is not None:
        F = GL @ F
    if GR is not None:
        F = F @ GR
    return F


def _apply_ratio(F, numerator, denominator, l1, l2, gam, floor, tiny, step=False):
    """One multiplicative step on F, in place; ``denominator`` is overwritten.

    Returns the Frobenius norm of the change of F when ``step`` is true.
    """
    if l1:
        denominator += l1
    if l2:
        denominator += l2 * F
    np.maximum(denominator, tiny, out=denominator)
    ratio = np.divide(numerator, denominator, out=denominator)
    if gam != 1:
        ratio **= gam
    if not step:
        F *= ratio
        np.maximum(F, floor, out=F)
        return None
    new = np.multiply(F, ratio, out=ratio)
    np.maximum(new, floor, out=new)
    F -= new
    flat = F.ravel()
    change = float(np.sqrt(np.dot(flat, flat)))
    F[...] = new
    return change


def max_inner_steps(data, F, L, R):
    """Inner-loop budget of the accelerated Frobenius update.

    rho compares the cost of the product with X to that of one inner step.
    An inner step is counted with the memory passes of its elementwise work
    and a fixed call overhead, both of which matter next to BLAS products.
    """
    p, q = F.shape
    cost_product = data.nnz * min(p, q)
    cost_inner = p * q * ELEMENTWISE_COST + CALL_COST
    if L is not None:
        cost_product += L.shape[0] * p * p
        cost_inner += p * p * q
    if R is not None:
        cost_product += R.shape[1] * q * q
        cost_inner += p * q * q
    rho = 1.0 + cost_product / cost_inner
    return int(1 + ALPHA * rho)


def _ratio_terms(x, y, beta):
    """``x * y**(beta - 2)`` and ``y**(beta - 1)`` (None for beta=1), in place.

    The two blocks whose products with the other factor are the negative and
    positive parts of the gradient. ``y`` is overwritten.
    """
    if beta == 1:
        np.divide(x, y, out=y)
        return y, None
    if beta == 0:
        d = np.reciprocal(y, out=y)
        return x * d * d, d
    d = y ** (beta - 1)
    np.divide(d, y, out=y)
    y *= x
    return y, d


def gradient_parts(data, F, L=None, R=None, *, beta):
    """Negative and positive parts of the gradient of ``d_beta(X | L @ F @ R)``.

    One multiplicative step multiplies F by the ratio of the two. An
    objective with more terms in F adds its own parts to these before taking
    the ratio.

    Parameters
    ----------
    data : DataMatrix
        The data X, of shape (n, m).
    F : ndarray of shape (p, q)
        The factor, positive.
    L : ndarray of shape (n, p) or None
        Product of the factors left of F; None when F is the leftmost.
    R : ndarray of shape (q, m) or None
        Product of the factors right of F; None when F is the rightmost.
    beta : float
        Parameter of the beta-divergence.

    Returns
    -------
    numerator, denominator : ndarray of shape (p, q)
        Minus the negative part and the positive part of the gradient.
    """
    if beta == 2:
        GL = None if L is None else L.T @ L
        GR = None if R is None else R @ R.T
        return sandwich(L, data.X, R), _gram_product(GL, F, GR)
    A, B = _model_split(L, F, R)
    n, m = data.shape
    y_floor = model_floor(data.dtype, beta)
    if data.sparse and beta == 1:
        # Only the stored entries of X enter the numerator.
        y = np.maximum(data.model_at_nonzeros(A, B), y_floor)
        X = data.X
        ratio = np.divide(X.data, y, out=y)
        Z = sp.csr_matrix((ratio, X.indices, X.indptr), shape=X.shape)
        numerator = sandwich(L, Z, R)
    else:
        numerator = np.zeros(F.shape, dtype=F.dtype)
        denominator = None if beta == 1 else np.zeros(F.shape, dtype=F.dtype)
        for rows in row_blocks(n, m):
            x = data.dense_rows(rows)
            y = np.maximum(A[rows] @ B, y_floor)
            z, d = _ratio_terms(x, y, beta)
            L_rows = None if L is None else L[rows]
            if L is None:
                numerator[rows] = sandwich(None, z, R)
                if d is not None:
                    denominator[rows] = sandwich(None, d, R)
            else:
                numerator += sandwich(L_rows, z, R)
                if d is not None:
                    denominator += sandwich(L_rows, d, R)
    if beta == 1:
        # The gradient's positive part is L.T @ ones @ R.T, an outer product.
        left = np.ones(n, dtype=F.dtype) if L is None else L.sum(axis=0)
        right = np.ones(m, dtype=F.dtype) if R is None else R.sum(axis=1)
        if L is None:
            denominator = np.tile(right, (n, 1))
        else:
            denominator = np.outer(left, right)
    return numerator, denominator


def update_factor(
    data,
    F,
    L=None,
    R=None,
    *,
    beta,
    floor,
    l1=0.0,
    l2=0.0,
    max_inner=1,
    want_error=False,
):
    """Update the factor F of ``X ~ L @ F @ R`` in place.

    Parameters
    ----------
    data : DataMatrix
        The data X, of shape (n, m).
    F : ndarray of shape (p, q)
        The factor to update, positive; changed in place.
    L : ndarray of shape (n, p) or None
        Product of the factors left of F; None when F is the leftmost.
    R : ndarray of shape (q, m) or None
        Product of the factors right of F; None when F is the rightmost.
    beta : float
        Parameter of the beta-divergence.
    floor : float
        Smallest value an entry of F may take.
    l1, l2 : float, default=0.0
        Weights of the penalties ``l1 * sum(F) + l2 / 2 * ||F||^2``.
    max_inner : int, default=1
        For beta=2, how many cheap inner steps may reuse one product with X.
        Other betas take one step.
    want_error : bool, default=False
        For beta=2, also return the error after the update.

    Returns
    -------
    half_sq_error : float or None
        With ``want_error`` and beta=2, ``||X - L F R||^2 / 2`` after the
        update, obtained from the products already formed; otherwise None.
    """
    tiny = data.tiny
    gam = gamma(beta)
    if beta == 2:
        numerator = sandwich(L, data.X, R)
        GL = None if L is None else L.T @ L
        GR = None if R is None else R @ R.T
        first = None
        for _ in range(max_inner):
            denominator = _gram_product(GL, F, GR)
            step = _apply_ratio(
                F, numerator, denominator, l1, l2, gam, floor, tiny, max_inner > 1
            )
            if first is None:
                first = step
            elif step <= INNER_TOL * first:
                break
        if not want_error:
            return None
        cross = np.vdot(numerator, F)
        model = np.vdot(_gram_product(GL, F, GR), F)
        return max(0.5 * (data.sqnorm - 2 * cross + model), 0.0)

    numerator, denominator = gradient_parts(data, F, L, R, beta=beta)
    _apply_ratio(F, numerator, denominator, l1, l2, gam, floor, tiny)
    return None


def solve_rows(data, R, *, beta, floor, l1=0.0, l2=0.0, max_iter=200, tol=1e-4):
    """Codes F minimising ``d_beta(X | F @ R)`` with R fixed, row by row.

    Every row of F is its own problem. Each starts from the constant that
    best scales the sum of the rows of R to its row of X, and stops when a
    step changes it by less than ``tol`` (relative). A row's result thus
    depends only on its own row of X, whatever the other rows are.

    Parameters
    ----------
    data : DataMatrix
        The data X, of shape (n, m).
    R : ndarray of shape (q, m)
        The fixed factor.
    beta : float
        Parameter of the beta-divergence.
    floor : float
        Smallest value an entry of F may take; lower for a row whose scale
        is so small that machine epsilon times it is below ``floor``.
    l1, l2 : float, default=0.0
        Penalty weights on F.
    max_iter : int, default=200
        Most steps any row takes.
    tol : float, default=1e-4
        Relative change of a row under which it stops.

    Returns
    -------
    F : ndarray of shape (n, q)
        The codes.
    n_iter : int
        Steps taken by the slowest row.
    """
    n = data.shape[0]
    q = R.shape[0]
    dtype = R.dtype
    total = R.sum(axis=0)
    if data.sparse and data.x_floor == 0:
        fit = np.asarray(data.X @ total).ravel()
    else:
        # Dense blocks read zeros as the data's floor, as the updates do.
        fit = np.zeros(n, dtype=dtype)
        for rows in row_blocks(*data.shape):
            fit[rows] = data.dense_rows(rows) @ total
    scale = fit / max(float(total @ total), data.tiny)
    # Each row's floor is relative to its own scale too, so that a row far
    # smaller than the data the floor was set on still gets its codes.
    floors = np.maximum(np.minimum(floor, np.finfo(dtype).eps * scale), data.tiny)
    floors = floors.astype(dtype)[:, None]
    F = np.empty((n, q), dtype=dtype)
    F[:] = np.maximum(scale[:, None], floors)

    live = np.arange(n)
    work = F.copy()
    sub = data
    if beta == 2:
        numerator = sandwich(None, data.X, R)
        G = R @ R.T
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        old = work.copy()
        row_floor = floors[live]
        if beta == 2:
            _apply_ratio(work, numerator, work @ G, l1, l2, 1.0, row_floor, data.tiny)
        else:
            update_factor(sub, work, None, R, beta=beta, floor=row_floor, l1=l1, l2=l2)
        old -= work
        change = np.einsum("ij,ij->i", old, old)
        done = change <= tol * tol * np.einsum("ij,ij->i", work, work)
        if done.any():
            F[live[done]] = work[done]
            keep = ~done
            live, work = live[keep], work[keep]
            if beta == 2:
                numerator = numerator[keep]
            else:
                sub = sub.take_rows(np.flatnonzero(keep))
            if live.size == 0:
                break
    F[live] = work
    return F, n_iter


def sweep_rows(data, W, H, *, beta, floor_W, floor_H, penalties, n_workers=1):
    """One iteration (W, then H) for beta != 2 on dense data, by row blocks.

    The W update is local to each row; each block of rows is updated, then
    the block's model is recomputed with its new W and its share of the H
    gradient is added, all while the block is still in cache. The iterates
    are those of updating W whole and then H whole.

    Parameters
    ----------
    data : DataMatrix
        Dense data X, of shape (n, m).
    W : ndarray of shape (n, k)
        Changed in place.
    H : ndarray of shape (k, m)
        Changed in place.
    beta : float
        Parameter of the beta-divergence, not 2.
    floor_W, floor_H : float
        Smallest values the entries of W and H may take.
    penalties : dict
        Weights ``l1_W``, ``l2_W``, ``l1_H``, ``l2_H``.
    n_workers : int, default=1
        Threads that share the rows. The result does not depend on it
        beyond rounding in the sum of the workers' shares of H's gradient.
    """
    n, m = data.shape
    gam = gamma(beta)
    tiny = data.tiny
    y_floor = model_floor(data.dtype, beta)
    Ht = np.ascontiguousarray(H.T)
    h_sums = H.sum(axis=1)
    l1, l2 = penalties["l1_W"], penalties["l2_W"]

    # Every entry of W @ H is at least floor_W * floor_H, the product of the
    # factors' floors: when that clears the model's floor, applying the
    # latter is a pass over the block for nothing.
    floored = floor_W * floor_H < 2 * y_floor

    def model(W_rows, out):
        y = np.matmul(W_rows, H, out=out[: W_rows.shape[0]])
        return np.maximum(y, y_floor, out=y) if floored else y

    def sweep(part):
        # Rows of one worker: W updated in place, its share of H's gradient.
        num_H = np.zeros_like(H)
        den_H = None if beta == 1 else np.zeros_like(H)
        buffer = None
        for rows in row_blocks(part.stop - part.start, m, CACHE_ENTRIES):
            rows = slice(part.start + rows.start, part.start + rows.stop)
            x = data.dense_rows(rows)
            W_rows = W[rows]
            if buffer is None:
                # The first block is the largest: one buffer for the models.
                buffer = np.empty((W_rows.shape[0], m), dtype=H.dtype)
            y = model(W_rows, buffer)
            z, d = _ratio_terms(x, y, beta)
            num = z @ Ht
            if d is None:
                den = np.empty_like(num)
                den[:] = h_sums
            else:
                den = d @ Ht
            _apply_ratio(W_rows, num, den, l1, l2, gam, floor_W, tiny)
            y = model(W_rows, buffer)
            z, d = _ratio_terms(x, y, beta)
            num_H += W_rows.T @ z
            if d is not None:
                den_H += W_rows.T @ d
        return num_H, den_H

    # The blocks are too small for BLAS to spread over cores: the workers
    # do, on disjoint rows (numpy releases the GIL in its kernels).
    workers = max(1, min(n_workers, n * m // (4 * CACHE_ENTRIES)))
    bounds = np.linspace(0, n, workers + 1).astype(int)
    parts = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
    if workers == 1:
        shares = [sweep(parts[0])]
    else:
        # One BLAS thread per worker: a BLAS that threads each small product
        # of each worker itself oversubscribes the cores and stalls.
        with one_blas_thread(), ThreadPoolExecutor(workers) as pool:
            shares = list(pool.map(sweep, parts))
    num_H = sum(share[0] for share in shares)
    if beta == 1:
        den_H = np.empty_like(H)
        den_H[:] = W.sum(axis=0)[:, None]
    else:
        den_H = sum(share[1] for share in shares)
    _apply_ratio(
        H, num_H, den_H, penalties["l1_H"], penalties["l2_H"], gam, floor_H, tiny
    )


def descend(sweep, objective, *, max_iter, tol, verbose, label=None, first=None):
    """Run sweeps of updates until the objective stalls or max_iter is reached.

    The objective is checked every ``CHECK_EVERY`` sweeps and after the last
    one. With ``tol=0`` and no ``verbose`` nothing can stop the loop early,
    so the only check is after the last sweep.

    Parameters
    ----------
    sweep : callable
        ``sweep(check)`` updates every factor once; when ``check`` is true it
        may return the objective's data term if it comes for free, else None.
    objective : callable
        ``objective(data_term)`` is the objective; ``data_term`` is what the
        sweep returned, or None to compute it.
    max_iter : int
        Most sweeps.
    tol : float
        Relative decrease between two checks under which to stop.
    verbose : int
        Print one line per check when positive.
    label : str or None, default=None
        What is being fitted, to start the printed lines with.
    first : float or None, default=None
        The objective at the start, if the caller has it already.

    Returns
    -------
    n_iter : int
        Sweeps run.
    curve : list of float
        The objective at the start and at every check.
    converged : bool
        Whether the loop stopped before max_iter.
    """
    line = f"{label} iteration" if label else "Iteration"
    start = time.perf_counter()
    curve = [objective(None) if first is None else first]
    if verbose:
        print(f"{line}    0: objective {curve[0]:.6e}")
    every = CHECK_EVERY if tol > 0 or verbose else max_iter + 1
    previous = curve[0]
    reason = "the iteration limit was reached"
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        check = n_iter % every == 0 or n_iter == max_iter
        data_term = sweep(check)
        if not check:
            continue
        value = objective(data_term)
        curve.append(value)
        if verbose:
            elapsed = time.perf_counter() - start
            print(f"{line} {n_iter:4d}: objective {value:.6e}, {elapsed:.2f} s")
        if value == 0:
            converged, reason = True, "the data is fitted exactly"
            break
        if tol > 0 and (previous - value) <= tol * previous:
            converged = True
            reason = f"the objective decreased by less than tol={tol}"
            break
        previous = value
    if verbose:
        stopped = f"{label} stopped" if label else "Stopped"
        print(f"{stopped} after {n_iter} iterations: {reason}.")
    return n_iter, curve, converged


_CONTROLLER = []


def _blas_controller():
    """One threadpoolctl controller, made on first use: making one is slow."""
    if not _CONTROLLER:
        _CONTROLLER.append(threadpoolctl.ThreadpoolController())
    return _CONTROLLER[0]


def one_blas_thread():
    """A context in which BLAS runs each product on one thread.

    For threads of our own that each run many small products: BLAS threading
    each of them as well would oversubscribe the cores.
    """
    return _blas_controller().limit(limits=1, user_api="blas")


def blas_threads():
    """Number of threads the BLAS in use may run, as threadpoolctl reports."""
    counts = [
        info["num_threads"]
        for info in _blas_controller().select(user_api="blas").info()
    ]
    return max(counts, default=1)
