"""Non-negative matrix factorisation by multiplicative updates."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_array
from sklearn.utils.validation import check_is_fitted, validate_data

from sklearn_nmfx._base import (
    BASE_CONSTRAINTS,
    BETA_LOSS_CONSTRAINT,
    beta_from_loss,
    check_counts_not_bool,
    check_nonnegative_input,
    format_docstring,
    to_csr,
)
from sklearn_nmfx._beta import DataMatrix, beta_divergence
from sklearn_nmfx._compat import Interval, StrOptions, _fit_context
from sklearn_nmfx._init import INIT_OPTIONS, default_init, initialize
from sklearn_nmfx._mu import (
    blas_threads,
    descend,
    factor_floor,
    max_inner_steps,
    solve_rows,
    sweep_rows,
    update_factor,
)

# score fits the codes of held-out data more tightly than transform does:
# stopping early would shrink the codes and hide overfitting.
SCORE_MAX_ITER = 1000
SCORE_TOL = 1e-6


def scale_exponent(*arrays, always=False, offset=0):
    """Even power of two by which to divide data so its largest entry is near 1.

    Data whose largest magnitude is far from one (say 1e-300 or 1e300) would
    overflow or underflow in the products of the updates, and in squared
    distances. Dividing by a power of two changes no digit of any entry, so
    the solution of the scaled problem, scaled back, is the solution of the
    original one. The largest magnitude is taken over all ``arrays`` (dense
    or sparse, of any sign). With ``offset``, the power is for the data
    already divided by ``2**offset``, without making that copy. Unless
    ``always``, returns 0 for data of moderate magnitude, which is then used
    as it is.
    """
    top = 0.0
    for array in arrays:
        values = array.data if sp.issparse(array) else array
        if values.size:
            top = max(top, float(values.max()), -float(values.min()))
    if not 0 < top < np.inf:
        return 0
    exponent = int(np.frexp(top)[1]) - offset
    if not always and abs(exponent) <= np.finfo(arrays[0].dtype).maxexp // 6:
        return 0
    return 2 * (exponent // 2)


def _scaled(X, exponent):
    """A copy of X divided by ``2**exponent``, or X itself when exponent is 0.

    By ``ldexp``: for subnormal data ``2**-exponent`` itself overflows.
    """
    if exponent == 0:
        return X
    if sp.issparse(X):
        X = X.copy()
        X.data = np.ldexp(X.data, -exponent).astype(X.dtype, copy=False)
        return X
    return np.ldexp(X, -exponent).astype(X.dtype, copy=False)


def _unscale(value, exponent):
    """``value * 2**exponent`` that saturates at infinity instead of raising."""
    with np.errstate(over="ignore"):
        return float(np.float64(value) * np.exp2(np.float64(exponent)))


class _BaseMU(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """What the estimators of ``X ~ W @ components_`` share.

    A subclass fits ``components_`` (and ``_w_floor``, ``_scale_exp``,
    ``_x_floor``, ``_beta``); this base then solves for the codes W of any X,
    reconstructs from codes, and declares the capabilities.
    """

    _parameter_constraints: dict = {
        **BASE_CONSTRAINTS,
        "beta_loss": BETA_LOSS_CONSTRAINT,
        "alpha_W": [Interval(Real, 0, None, closed="left")],
        "alpha_H": [Interval(Real, 0, None, closed="left"), StrOptions({"same"})],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    @property
    def _n_features_out(self):
        return self.components_.shape[0]

    def _validate_input(self, X, reset):
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=[np.float64, np.float32],
            reset=reset,
        )
        check_nonnegative_input(X, f"{type(self).__name__} (input X)")
        return to_csr(X)

    def _penalties(self, n_samples, n_features):
        """L1 and L2 weights of W and H, scaled as scikit-learn's NMF does."""
        alpha_H = self.alpha_W if self.alpha_H == "same" else self.alpha_H
        return {
            "l1_W": n_features * self.alpha_W * self.l1_ratio,
            "l2_W": n_features * self.alpha_W * (1.0 - self.l1_ratio),
            "l1_H": n_samples * alpha_H * self.l1_ratio,
            "l2_H": n_samples * alpha_H * (1.0 - self.l1_ratio),
        }

    def _scaled_penalties(self, shape, exponent, beta):
        """The penalties of the problem whose data was divided by 2**exponent."""
        pen = self._penalties(*shape)
        # Data / s with factors / sqrt(s): the loss scales by s**beta, an L1
        # term by sqrt(s) and an L2 term by s.
        with np.errstate(over="ignore"):
            l1_scale = np.exp2(exponent * (0.5 - beta))
            l2_scale = np.exp2(exponent * (1.0 - beta))
        return {
            key: value * (l1_scale if key.startswith("l1") else l2_scale)
            if value
            else 0.0
            for key, value in pen.items()
        }

    @staticmethod
    def _prepare(X, beta):
        """The data as the engine fits it: scaling exponent and DataMatrix.

        Divergences other than beta=1 and 2 raise the model to powers, which
        stay in range only for data of moderate size: the data's largest entry
        is brought near one, exactly, by a power of two. For beta <= 0, zeros
        are read as machine epsilon times that entry. The DataMatrix is None
        for all-zero data, which zero factors fit exactly.
        """
        exponent = scale_exponent(X, always=beta not in (1, 2))
        Xs = _scaled(X, exponent)
        top = float((Xs.data if sp.issparse(Xs) else Xs).max(initial=0.0))
        if top == 0:
            return exponent, None
        x_floor = float(np.finfo(X.dtype).eps * top) if beta <= 0 else 0.0
        return exponent, DataMatrix(Xs, x_floor=x_floor)

    def _data_matrix(self, X, exponent, x_floor):
        return DataMatrix(_scaled(X, exponent), x_floor=x_floor)

    def _codes(self, X, columns=None, max_iter=None, tol=None):
        """Codes W of validated X against the fitted components.

        With ``columns``, X holds only those columns of the data, and the
        codes are fitted to them alone.
        """
        H = self.components_ if columns is None else self.components_[:, columns]
        if not H.any():
            return np.zeros((X.shape[0], H.shape[0]), X.dtype)
        exponent = self._scale_exp
        shape = (X.shape[0], self.components_.shape[1])
        pen = self._scaled_penalties(shape, exponent, self._beta)
        # Data of a magnitude far from the training data's (1e-200 times it,
        # say) are brought near one by a further power of two; without
        # penalties on W its codes scale back exactly.
        extra = 0
        if not (pen["l1_W"] or pen["l2_W"]):
            extra = scale_exponent(X, offset=exponent)
        # The floor of zeros is relative to the data near one: it stays.
        data = self._data_matrix(X, exponent + extra, self._x_floor)
        half = np.ldexp(1.0, -exponent // 2)
        R = (H * half).astype(X.dtype, copy=False)
        W, _ = solve_rows(
            data,
            R,
            beta=self._beta,
            floor=self._w_floor,
            l1=pen["l1_W"],
            l2=pen["l2_W"],
            max_iter=self.max_iter if max_iter is None else max_iter,
            tol=self.tol if tol is None else tol,
        )
        return np.ldexp(W, exponent // 2 + extra).astype(W.dtype, copy=False)

    def transform(self, X):
        """Codes W of X: how much of each component every sample holds.

        The components are held fixed and each row of W is fitted to its row
        of X alone, so the result for a sample does not depend on the other
        samples passed with it.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data.

        Returns
        -------
        W : ndarray of shape (n_samples, n_components)
            The codes, in the dtype of X (float32 or float64; other input
            types become float64), whatever dtype the model was fitted on.
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        return self._codes(X)

    def score(self, X, y=None):
        """Held-out fit of X, per entry: higher is better.

        The features are split in two halves by a permutation seeded with
        ``random_state`` (0 when it is not an int). Each sample's codes are
        fitted to one half with the components fixed, and the other half is
        predicted from them; then the halves swap. The score is minus the
        mean beta-divergence of the predicted entries from the data.

        A model with too many components fits the noise of the visible
        entries, and predicts the hidden ones worse; a model with too few
        misses structure. So, unlike the reconstruction error, the score
        peaks near the right number of components, and ``GridSearchCV`` can
        choose ``n_components`` with it (bi-cross-validation: Owen & Perry,
        2009, :doi:`10.1214/08-AOAS227`).

        For beta <= 0 (Itakura-Saito) every entry counts by its ratio to the
        model, and zeros of X are read as machine epsilon times its largest
        entry: on data with many zeros the predicted entries are then far
        too small somewhere, and the score, dominated by those, is of little
        use. Itakura-Saito suits data without zeros (power spectra).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data with at least two features.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        score : float
            Minus the mean divergence per held-out entry, in the units of the
            estimator's ``beta_loss`` (half squared error for 'frobenius').
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        n_features = X.shape[1]
        if n_features < 2:
            raise ValueError(
                f"score needs at least 2 features to hold half out; got {n_features}."
            )
        seed = self.random_state if isinstance(self.random_state, Integral) else 0
        order = np.random.RandomState(seed).permutation(n_features)
        halves = (np.sort(order[: n_features // 2]), np.sort(order[n_features // 2 :]))
        exponent = self._scale_exp
        half = np.ldexp(1.0, -exponent // 2)
        total = 0.0
        for hidden, visible in (halves, halves[::-1]):
            W = self._codes(
                X[:, visible], columns=visible, max_iter=SCORE_MAX_ITER, tol=SCORE_TOL
            )
            W *= half
            H = (self.components_[:, hidden] * half).astype(W.dtype, copy=False)
            data = self._data_matrix(X[:, hidden], exponent, self._x_floor)
            total += beta_divergence(data, W, H, self._beta)
        mean = total / (X.shape[0] * n_features)
        return -_unscale(mean, exponent * self._beta)

    def inverse_transform(self, X):
        """Data reconstructed from codes: ``X @ components_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Codes, as returned by ``transform``.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            The reconstruction.
        """
        check_is_fitted(self)
        W = check_array(X, dtype=[np.float64, np.float32])
        if W.shape[1] != self.components_.shape[0]:
            raise ValueError(
                f"X has {W.shape[1]} columns but the model has "
                f"{self.components_.shape[0]} components."
            )
        return W @ self.components_.astype(W.dtype, copy=False)


@format_docstring
class MUNMF(_BaseMU):
    r"""Non-negative matrix factorisation by multiplicative updates.

    Finds non-negative W and H whose product approximates the non-negative
    data X, by minimising

    .. math::

        d_\beta(X \mid WH)
        + \alpha_W \rho \, m \, \lVert W \rVert_1
        + \tfrac12 \alpha_W (1 - \rho) \, m \, \lVert W \rVert_F^2
        + \alpha_H \rho \, n \, \lVert H \rVert_1
        + \tfrac12 \alpha_H (1 - \rho) \, n \, \lVert H \rVert_F^2

    where :math:`d_\beta` is the beta-divergence (half the squared Frobenius
    norm for :math:`\beta = 2`), :math:`\rho` is ``l1_ratio`` and X has n rows
    and m columns. H is ``components_``; ``transform`` returns W.

    Parameters
    ----------
    n_components : int or None, default=None
        Number of components k. None means the number of columns of the
        custom H when one is given, and the number of features otherwise.

    beta_loss : float or {{'frobenius', 'kullback-leibler', \
            'itakura-saito'}}, default='frobenius'
        The divergence minimised: 'frobenius' is beta=2, 'kullback-leibler'
        beta=1 (for counts) and 'itakura-saito' beta=0 (for power spectra);
        any real beta is accepted.

    init : {{'random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom'}}, \
            default=None
        How the factors start. 'random' draws them scaled to the data's mean;
        the 'nndsvd' family starts from the singular value decomposition
        (zeros left as they are, filled with the mean, or with small random
        values); 'custom' uses the W and H passed to ``fit``. None means
        'nndsvda' when ``n_components <= min(n_samples, n_features)`` and
        'random' otherwise.

    max_iter : int, default=200
        Most iterations; each updates W, then H.

    {tol}

    alpha_W : float, default=0.0
        Weight of the penalty on W, multiplied by the number of features.

    alpha_H : float or 'same', default='same'
        Weight of the penalty on H, multiplied by the number of samples.
        'same' uses ``alpha_W``.

    l1_ratio : float, default=0.0
        Share of the L1 penalty in the mix of L1 and squared L2 penalties.

    accelerate : bool, default=True
        For the Frobenius loss, reuse each costly product with X for several
        cheap updates of the same factor, stopping when they stop paying
        (Gillis & Glineur, 2012). False gives the plain Lee-Seung rule. Other
        losses always take one step per product.

    {random_state}

    {verbose}

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The parts H, one per row.

    n_components_ : int
        Number of components.

    reconstruction_err_ : float
        ``sqrt(2 * d_beta(X | WH))`` at the end of fitting: the Frobenius
        norm of the residual for ``beta_loss='frobenius'``.

    n_iter_ : int
        Number of iterations run.

    loss_curve_ : ndarray of shape (n_checks,)
        The objective (divergence plus penalties) at the start and at every
        convergence check: after every 10 iterations and after the last one.
        With ``tol=0`` and ``verbose=0`` nothing can stop the fit early, so
        the objective is computed only at the start and the end (as
        scikit-learn's NMF skips its checks with ``tol=0``): the curve then
        has two values. It is in the data's units (squared for Frobenius), so
        for data near 1e160 and beyond it saturates at ``inf``, and for data
        near 1e-160 it underflows to 0; the fit itself is made on data
        rescaled by a power of two and is not affected.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during fit, when they are all strings.

    See Also
    --------
    sklearn.decomposition.NMF : scikit-learn's NMF, with coordinate descent.
    DeepNMF : A hierarchy of parts, ``H = A_L ... A_1``.
    OneHotNMFKMeans : The same model with one-hot rows of W: k-means.

    Notes
    -----
    Entries of W and H never fall below a floor of machine epsilon times the
    initial factor's largest entry, so that an entry that reaches zero can
    grow again (it would be stuck at exactly zero under multiplicative
    updates). The codes returned by ``transform`` and ``fit_transform`` are
    solved row by row, each row's floor also scaled to that row, so a sample
    1e-20 times smaller than the others gets its own codes (and data of a
    magnitude far from the training data's, 1e-200 times it say, are brought
    near one by a power of two first, unless W is penalised); for data that
    themselves span more than about 1e14 from their largest to their
    smallest rows, the rows of ``components_`` are fitted mostly to the
    large rows. For beta <= 0 the divergence is infinite at zero data, so
    entries of X below machine epsilon times its largest entry are read as
    that value.

    Sparse input is never made dense for ``beta_loss`` 'frobenius' and
    'kullback-leibler'; the model is evaluated only at the stored entries.
    For other values of beta the divergence involves every entry of the
    model, so the cost grows with ``n_samples * n_features`` as for dense
    data, although the memory stays bounded (rows are processed in blocks).

    ``fit_transform(X)`` and ``fit(X).transform(X)`` return the same codes:
    both solve for W with the fitted components fixed, from the same start.

    References
    ----------
    .. [1] D. D. Lee and H. S. Seung, "Algorithms for non-negative matrix
       factorization", NeurIPS 13, 2001.
    .. [2] C. Fevotte and J. Idier, "Algorithms for nonnegative matrix
       factorization with the beta-divergence", Neural Computation 23(9),
       2011. :doi:`10.1162/NECO_a_00168`
    .. [3] N. Gillis and F. Glineur, "Accelerated multiplicative updates and
       hierarchical ALS algorithms for nonnegative matrix factorization",
       Neural Computation 24(4), 2012. :doi:`10.1162/NECO_a_00256`

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx import MUNMF
    >>> X = np.array([[1, 1], [2, 1], [3, 1.2], [4, 1], [5, 0.8], [6, 1]])
    >>> model = MUNMF(n_components=2, random_state=0)
    >>> W = model.fit_transform(X)
    >>> W.shape, model.components_.shape
    ((6, 2), (2, 2))
    >>> bool(model.reconstruction_err_ < 0.5)
    True
    """

    _parameter_constraints: dict = {
        **_BaseMU._parameter_constraints,
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "init": [StrOptions(INIT_OPTIONS), None],
        "accelerate": ["boolean"],
    }

    def __init__(
        self,
        n_components=None,
        *,
        beta_loss="frobenius",
        init=None,
        max_iter=200,
        tol=1e-4,
        alpha_W=0.0,
        alpha_H="same",
        l1_ratio=0.0,
        accelerate=True,
        random_state=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.beta_loss = beta_loss
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.accelerate = accelerate
        self.random_state = random_state
        self.verbose = verbose

    def _resolve(self, X, W, H):
        """Number of components and initialisation, from the parameters."""
        check_counts_not_bool(self, "n_components", "max_iter")
        init = self.init
        if (W is not None or H is not None) and init is None:
            init = "custom"
        if (W is not None or H is not None) and init != "custom":
            raise ValueError(
                f"W and H are used only with init='custom'; got init={init!r}."
            )
        k = self.n_components
        if k is None:
            k = np.shape(H)[0] if init == "custom" and H is not None else X.shape[1]
        if init is None:
            init = default_init(k, X.shape)
        return k, init

    def _fit_zeros(self, X, k, beta):
        """All-zero data is fitted exactly by zero factors."""
        self._beta, self._scale_exp, self._x_floor = beta, 0, 0.0
        self._w_floor = 0.0
        self.components_ = np.zeros((k, X.shape[1]), dtype=X.dtype)
        self.n_components_ = k
        self.n_iter_ = 0
        self.loss_curve_ = np.zeros(1)
        self.reconstruction_err_ = 0.0
        return np.zeros((X.shape[0], k), dtype=X.dtype)

    @staticmethod
    def _alternate(
        data, W, H, beta, floor_W, floor_H, pen, inner_W, inner_H, want_error
    ):
        """One iteration through the engine: update W, then H."""
        update_factor(
            data, W, None, H, beta=beta, floor=floor_W,
            l1=pen["l1_W"], l2=pen["l2_W"], max_inner=inner_W,
        )  # fmt: skip
        return update_factor(
            data, H, W, None, beta=beta, floor=floor_H,
            l1=pen["l1_H"], l2=pen["l2_H"], max_inner=inner_H,
            want_error=want_error,
        )  # fmt: skip

    def _fit(self, X, W=None, H=None):
        """Fit the factors to validated X; return the scaled problem's W."""
        beta = beta_from_loss(self.beta_loss)
        k, init = self._resolve(X, W, H)
        exponent, data = self._prepare(X, beta)
        if data is None:
            return self._fit_zeros(X, k, beta)
        Xs, x_floor = data.X, data.x_floor

        if init == "custom" and W is not None and H is not None:
            half = np.ldexp(1.0, -exponent // 2)
            W = np.asarray(W, dtype=float) * half
            H = np.asarray(H, dtype=float) * half
        W, H = initialize(Xs, k, init, random_state=self.random_state, W=W, H=H)
        floor_W, floor_H = factor_floor(W), factor_floor(H)
        np.maximum(W, floor_W, out=W)
        np.maximum(H, floor_H, out=H)
        pen = self._scaled_penalties(X.shape, exponent, beta)

        divergence = [0.0]

        def objective(half_sq_error=None, expand=False):
            if half_sq_error is None:
                divergence[0] = beta_divergence(data, W, H, beta, expand=expand)
            else:
                divergence[0] = half_sq_error
            value = divergence[0]
            value += pen["l1_W"] * W.sum() + 0.5 * pen["l2_W"] * np.vdot(W, W)
            value += pen["l1_H"] * H.sum() + 0.5 * pen["l2_H"] * np.vdot(H, H)
            return float(value)

        n_workers = blas_threads() if beta != 2 and not data.sparse else 1
        accelerate = self.accelerate and beta == 2
        inner_W = max_inner_steps(data, W, None, H) if accelerate else 1
        inner_H = max_inner_steps(data, H, W, None) if accelerate else 1

        def sweep(check):
            if beta != 2 and not data.sparse:
                sweep_rows(
                    data, W, H, beta=beta, floor_W=floor_W, floor_H=floor_H,
                    penalties=pen, n_workers=n_workers,
                )  # fmt: skip
                return None
            return self._alternate(
                data, W, H, beta, floor_W, floor_H, pen, inner_W, inner_H,
                want_error=check,
            )  # fmt: skip

        # The start is far from a fit: expanding the square loses no accuracy.
        n_iter, curve, converged = descend(
            sweep, objective, max_iter=self.max_iter, tol=self.tol,
            verbose=self.verbose, first=objective(expand=True),
        )  # fmt: skip
        if not converged and self.tol > 0:
            warnings.warn(
                f"MUNMF reached max_iter={self.max_iter} iterations before the "
                "objective converged; increase max_iter to fit further.",
                ConvergenceWarning,
                stacklevel=2,
            )

        self._beta = beta
        self._scale_exp = exponent
        self._x_floor = x_floor
        self._w_floor = floor_W
        half = np.ldexp(1.0, exponent // 2)
        self.components_ = H * H.dtype.type(half)
        self.n_components_ = k
        self.n_iter_ = n_iter
        self.loss_curve_ = np.array([_unscale(v, exponent * beta) for v in curve])
        # The last check was made on the final factors.
        error = divergence[0]
        self.reconstruction_err_ = _unscale(np.sqrt(2 * error), exponent * beta / 2)
        return W

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, W=None, H=None):
        """Learn the components of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data. Sparse input may be CSR or CSC.
        y : Ignored
            Not used, present for API consistency.
        W : array-like of shape (n_samples, n_components), default=None
            Initial W, used with ``init='custom'`` (or ``init=None``).
        H : array-like of shape (n_components, n_features), default=None
            Initial H, used with ``init='custom'`` (or ``init=None``).

        Returns
        -------
        self : MUNMF
            The fitted estimator.
        """
        X = self._validate_input(X, reset=True)
        self._fit(X, W, H)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None, W=None, H=None):
        """Learn the components of X and return its codes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data. Sparse input may be CSR or CSC.
        y : Ignored
            Not used, present for API consistency.
        W : array-like of shape (n_samples, n_components), default=None
            Initial W, used with ``init='custom'`` (or ``init=None``).
        H : array-like of shape (n_components, n_features), default=None
            Initial H, used with ``init='custom'`` (or ``init=None``).

        Returns
        -------
        W : ndarray of shape (n_samples, n_components)
            The codes; equal to ``fit(X).transform(X)``.
        """
        X = self._validate_input(X, reset=True)
        self._fit(X, W, H)
        return self._codes(X)
