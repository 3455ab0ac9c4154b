"""Beta-divergences between a data matrix and a product of factors."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp

# Dense temporaries are built in row blocks of about this many entries
# (32 MiB in float64), so that memory stays bounded whatever the data's size.
BLOCK_ENTRIES = 1 << 22
# Sparse data is evaluated in chunks of stored entries holding about this many
# gathered factor values: small enough to stay in cache.
NNZ_CHUNK = 1 << 15


def row_blocks(n_rows, n_cols, block_entries=BLOCK_ENTRIES):
    """Slices that cut ``n_rows`` rows into blocks of bounded size."""
    step = max(1, block_entries // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


class DataMatrix:
    """A validated data matrix X with what the updates reuse about it.

    Parameters
    ----------
    X : {ndarray, csr_matrix} of shape (n_samples, n_features)
        Non-negative data; sparse input must already be CSR.
    x_floor : float, default=0.0
        Entries of X below this value are read as this value. Used for
        beta <= 0, whose divergence is infinite at exact zeros.
    """

    def __init__(self, X, x_floor=0.0):
        self.X = X
        self.sparse = sp.issparse(X)
        self.shape = X.shape
        self.dtype = X.dtype
        self.x_floor = float(x_floor)
        self.tiny = np.finfo(X.dtype).tiny
        self._row_of = None
        self._sqnorm = None

    @property
    def nnz(self):
        return self.X.nnz if self.sparse else self.X.size

    @property
    def sqnorm(self):
        """Squared Frobenius norm of X, computed once."""
        if self._sqnorm is None:
            values = self.X.data if self.sparse else self.X
            self._sqnorm = float(np.dot(values.ravel(), values.ravel()))
        return self._sqnorm

    @property
    def row_of(self):
        """Row index of every stored entry of sparse X, computed once."""
        if self._row_of is None:
            counts = np.diff(self.X.indptr)
            index = np.int32 if self.shape[0] < 2**31 else np.int64
            self._row_of = np.repeat(np.arange(self.shape[0], dtype=index), counts)
        return self._row_of

    def dense_rows(self, rows):
        """Rows of X as a dense block, with the floor applied."""
        block = self.X[rows]
        if self.sparse:
            block = block.toarray()
        if self.x_floor > 0:
            block = np.maximum(block, self.x_floor)
        return block

    def take_rows(self, index):
        """A DataMatrix of the given rows (a copy)."""
        return DataMatrix(self.X[index], x_floor=self.x_floor)

    def model_at_nonzeros(self, A, B):
        """Entries of ``A @ B`` at the stored entries of sparse X.

        Works through the stored entries in small chunks, whose gathered rows
        of A and B stay in cache and whose buffers are reused.
        """
        X = self.X
        rank = A.shape[1]
        values = np.empty(X.nnz, dtype=A.dtype)
        Bt = np.ascontiguousarray(B.T)
        row_of = self.row_of
        step = max(256, NNZ_CHUNK // max(rank, 1))
        left = np.empty((step, rank), dtype=A.dtype)
        right = np.empty((step, rank), dtype=A.dtype)
        for start in range(0, X.nnz, step):
            stop = min(start + step, X.nnz)
            size = stop - start
            np.take(A, row_of[start:stop], axis=0, out=left[:size])
            np.take(Bt, X.indices[start:stop], axis=0, out=right[:size])
            np.einsum("ij,ij->i", left[:size], right[:size], out=values[start:stop])
        return values


def model_floor(dtype, beta):
    """Smallest model value used in the divergence and its gradient.

    For beta < 2 the model is raised to the negative power beta - 2; this
    floor keeps that power below the largest float.
    """
    tiny = np.finfo(dtype).tiny
    if beta >= 1:
        return tiny
    return max(tiny, tiny ** (1.0 / (2.0 - beta)))


def _divergence_values(x, y, beta):
    """Elementwise d_beta(x | y) for arrays with y > 0 (and x > 0 if beta <= 0)."""
    if beta == 2:
        return 0.5 * (x - y) ** 2
    if beta == 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(x > 0, x * np.log(x / y), 0.0)
        return logs - x + y
    if beta == 0:
        ratio = x / y
        return ratio - np.log(ratio) - 1
    return (x**beta + (beta - 1) * y**beta - beta * x * y ** (beta - 1)) / (
        beta * (beta - 1)
    )


def beta_divergence(data, A, B, beta, expand=False):
    """Total beta-divergence d_beta(X | A @ B), summed over every entry.

    For beta=2 this is half the squared Frobenius norm of the residual, the
    convention under which the multiplicative updates are gradient ratios.

    Parameters
    ----------
    data : DataMatrix
        The data X, of shape (n_samples, n_features).
    A : ndarray of shape (n_samples, r)
        Left factor of the model.
    B : ndarray of shape (r, n_features)
        Right factor of the model.
    beta : float
        The divergence's parameter: 2 Frobenius, 1 Kullback-Leibler,
        0 Itakura-Saito, any real number otherwise.
    expand : bool, default=False
        For beta=2 on dense data, expand the square instead of forming the
        residual: one product instead of two, exact up to rounding of the
        order of machine epsilon times the squared norm of X (sparse data
        always takes this way).

    Returns
    -------
    value : float
        The divergence, non-negative.
    """
    tiny = model_floor(data.dtype, beta)
    if beta == 2 and (data.sparse or expand):
        # Expand the square: no dense residual is ever formed.
        cross = np.vdot(data.X.T @ A, B.T)
        model = np.vdot(A.T @ A, B @ B.T)
        return max(0.5 * (data.sqnorm - 2 * cross + model), 0.0)
    if data.sparse and beta == 1:
        x = data.X.data
        y = np.maximum(data.model_at_nonzeros(A, B), tiny)
        # In place, so that no more than one array of nnz values is made;
        # stored zeros of X give a ratio of 0, left out of the logarithm.
        ratio = np.divide(x, y, out=y)
        np.log(ratio, out=ratio, where=ratio > 0)
        value = np.dot(x, ratio) - x.sum()
        value += np.dot(A.sum(axis=0), B.sum(axis=1))
        return max(float(value), 0.0)
    total = 0.0
    for rows in row_blocks(data.shape[0], data.shape[1]):
        x = data.dense_rows(rows)
        y = np.maximum(A[rows] @ B, tiny)
        total += float(np.sum(_divergence_values(x, y, beta)))
    return max(total, 0.0)
