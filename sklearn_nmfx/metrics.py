"""Scores of source separation: SI-SDR and the BSS Eval SDR, SIR and SAR."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft
from scipy.linalg import LinAlgError, cho_factor, cho_solve, lstsq, toeplitz
from scipy.optimize import linear_sum_assignment
from sklearn.utils import Bunch

__all__ = ["bss_eval", "separation_scores", "si_sdr"]

# Scores are clipped to +-_CLIP_DB only when choosing the permutation, so that
# a perfect (+inf) or silent (-inf) estimate cannot hide the other sources.
_CLIP_DB = 1000.0


def _check_sources(references, estimates):
    """Validate a pair of source arrays and bring them to two dimensions.

    Parameters
    ----------
    references : array-like of shape (n_samples,) or (n_sources, n_samples)
        True sources.
    estimates : array-like of the same shape as ``references``
        Estimated sources.

    Returns
    -------
    references : ndarray of shape (n_sources, n_samples)
        float64 copy of the references, each divided by a power of two that
        brings its peak near 1.
    estimates : ndarray of shape (n_sources, n_samples)
        float64 copy of the estimates, scaled in the same way.
    single : bool
        True when the input was one-dimensional (one source).
    """
    arrays = []
    for name, value in (("references", references), ("estimates", estimates)):
        array = np.asarray(value)
        if np.iscomplexobj(array) or not (
            np.issubdtype(array.dtype, np.number) or array.dtype == bool
        ):
            raise ValueError(f"{name} must be real-valued; got dtype {array.dtype}.")
        if array.ndim not in (1, 2) or array.size == 0:
            raise ValueError(
                f"{name} must be a non-empty array of shape (n_samples,) or "
                f"(n_sources, n_samples); got shape {array.shape}."
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must hold finite values only (no NaN or inf).")
        arrays.append(array.astype(np.float64, copy=False))
    references, estimates = arrays

    if references.shape != estimates.shape:
        raise ValueError(
            "references and estimates must have the same shape; got "
            f"{references.shape} and {estimates.shape}."
        )
    single = references.ndim == 1
    references, estimates = np.atleast_2d(references, estimates)
    silent = np.flatnonzero(~np.any(references, axis=1))
    if silent.size:
        raise ValueError(
            f"Reference source {silent[0]} is silent (all zeros); the scores "
            "are undefined for it."
        )
    # Every score here is unchanged when a signal is scaled; a peak near 1
    # keeps the sums of squares of signals near 1e200 or 1e-200 in range.
    return _unit_peak(references), _unit_peak(estimates), single


def _unit_peak(signals):
    """Each row divided by the power of two nearest its peak magnitude."""
    peaks = np.max(np.abs(signals), axis=1, keepdims=True)
    exponents = np.frexp(np.where(peaks > 0, peaks, 1.0))[1]
    return np.ldexp(signals, -exponents)


def _db(numerator, denominator):
    """``10 * log10(numerator / denominator)``, +inf where only the latter is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 10.0 * np.log10(numerator / denominator)


def si_sdr(reference, estimate):
    r"""Scale-invariant signal-to-distortion ratio, in dB.

    The estimate is split into a scaled copy of the reference, its orthogonal
    projection ``alpha * reference`` with ``alpha = <estimate, reference> /
    ||reference||^2``, and the rest, the distortion. SI-SDR is the ratio of
    their energies:

    .. math::

        \mathrm{SI\text{-}SDR} = 10 \log_{10}
        \frac{\|\alpha s\|^2}{\|\alpha s - \hat{s}\|^2}.

    Multiplying the estimate by a non-zero number does not change the score.

    Parameters
    ----------
    reference : array-like of shape (n_samples,) or (n_sources, n_samples)
        True source, or several, one per row. No source may be all zeros.
    estimate : array-like of the same shape as ``reference``
        Estimated source(s), row ``i`` scored against row ``i`` of
        ``reference``.

    Returns
    -------
    score : float or ndarray of shape (n_sources,)
        SI-SDR in dB: a float for one-dimensional input. An estimate whose
        distortion is exactly zero scores +inf; a scaled copy of the
        reference scores +inf or, where rounding leaves a distortion of the
        order of machine epsilon, about 300 dB. An all-zero estimate scores
        -inf.

    Raises
    ------
    ValueError
        If the shapes differ or are not 1-D or 2-D, if a value is not finite,
        or if a reference source is all zeros.

    See Also
    --------
    bss_eval : SDR, SIR and SAR, which allow a filtered reference.
    separation_scores : All scores, with the best matching of estimates.

    Notes
    -----
    The means of the signals are not removed; subtract them beforehand for
    the zero-mean variant.

    References
    ----------
    .. [1] J. Le Roux, S. Wisdom, H. Erdogan and J. R. Hershey, "SDR -
       half-baked or well done?", ICASSP 2019, pp. 626-630.
       :doi:`10.1109/ICASSP.2019.8683855`

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx.metrics import si_sdr
    >>> reference = np.array([1.0, -1.0, 1.0, -1.0])
    >>> noise = np.array([1.0, 1.0, -1.0, -1.0])  # orthogonal to reference
    >>> round(si_sdr(reference, 2 * reference + 0.2 * noise), 6)
    20.0
    """
    references, estimates, single = _check_sources(reference, estimate)

    alpha = np.sum(references * estimates, axis=1) / np.sum(references**2, axis=1)
    target = alpha[:, np.newaxis] * references
    target_energy = np.sum(target**2, axis=1)
    distortion_energy = np.sum((estimates - target) ** 2, axis=1)
    scores = _db(target_energy, distortion_energy)
    scores[~np.any(estimates, axis=1)] = -np.inf
    return float(scores[0]) if single else scores


def _solve_gram(gram, rhs):
    """Solve ``gram @ x = rhs`` for a symmetric positive semi-definite ``gram``.

    Parameters
    ----------
    gram : ndarray of shape (n, n)
        Gram matrix of shifted references.
    rhs : ndarray of shape (n, n_rhs)
        Right-hand sides.

    Returns
    -------
    x : ndarray of shape (n, n_rhs)
        Solution; a least-squares one when ``gram`` is singular.
    """
    try:
        return cho_solve(cho_factor(gram, lower=True, check_finite=False), rhs)
    except LinAlgError:
        # References whose shifts are linearly dependent (a shifted copy of
        # another, or a pure tone) make the Gram matrix singular.
        return lstsq(gram, rhs, check_finite=False)[0]


def _bss_eval_all_pairs(references, estimates, filter_length):
    """SDR, SIR and SAR of every estimate against every reference.

    Parameters
    ----------
    references : ndarray of shape (n_sources, n_samples)
        True sources, none all zeros.
    estimates : ndarray of shape (n_estimates, n_samples)
        Estimated sources.
    filter_length : int
        Number of taps of the distortion filter.

    Returns
    -------
    sdr, sir, sar : ndarray of shape (n_sources, n_estimates)
        Scores in dB; entry ``[j, k]`` scores estimate ``k`` as an estimate of
        reference ``j``.
    """
    n_sources, n_samples = references.shape
    n_taps = filter_length
    # Unit norms change no score and keep the Gram matrix well scaled.
    references = references / np.linalg.norm(references, axis=1, keepdims=True)
    energies = np.sum(estimates**2, axis=1)
    silent = energies == 0
    estimates = estimates / np.where(silent, 1.0, np.sqrt(energies))[:, np.newaxis]

    # Correlations by FFT, long enough that lags up to n_taps - 1 do not wrap.
    n_fft = next_fast_len(n_samples + n_taps - 1, real=True)
    ref_spectra = rfft(references, n_fft, axis=1)
    est_spectra = rfft(estimates, n_fft, axis=1)

    # gram[(i, a), (j, b)] = <s_i delayed by a, s_j delayed by b>
    #                      = sum_u s_i[u] s_j[u + a - b]: Toeplitz blocks.
    gram = np.empty((n_sources * n_taps, n_sources * n_taps))
    for i in range(n_sources):
        for j in range(i, n_sources):
            corr = irfft(np.conj(ref_spectra[i]) * ref_spectra[j], n_fft)
            negative_lags = np.concatenate(([corr[0]], corr[:-n_taps:-1]))
            block = toeplitz(corr[:n_taps], negative_lags)
            gram[i * n_taps : (i + 1) * n_taps, j * n_taps : (j + 1) * n_taps] = block
            gram[j * n_taps : (j + 1) * n_taps, i * n_taps : (i + 1) * n_taps] = block.T
    # cross[(i, a), k] = <s_i delayed by a, e_k> = sum_u s_i[u] e_k[u + a].
    cross = irfft(
        np.conj(ref_spectra)[:, np.newaxis, :] * est_spectra[np.newaxis], n_fft
    )[:, :, :n_taps]
    cross = cross.transpose(0, 2, 1).reshape(n_sources * n_taps, -1)

    # Share of each (unit-energy) estimate that the shifted references explain:
    # all of them together, and the target alone.
    coef = _solve_gram(gram, cross)
    explained_all = np.sum(cross * coef, axis=0)
    explained_target = np.empty((n_sources, estimates.shape[0]))
    for j in range(n_sources):
        rows = slice(j * n_taps, (j + 1) * n_taps)
        coef_j = _solve_gram(gram[rows, rows], cross[rows])
        explained_target[j] = np.sum(cross[rows] * coef_j, axis=0)

    # Rounding can push the shares slightly outside 0 <= target <= all <= 1.
    explained_all = np.clip(explained_all, 0.0, 1.0)
    explained_target = np.clip(explained_target, 0.0, explained_all)
    sdr = _db(explained_target, 1.0 - explained_target)
    sir = _db(explained_target, explained_all - explained_target)
    sar = np.broadcast_to(_db(explained_all, 1.0 - explained_all), sdr.shape).copy()
    for scores in (sdr, sir, sar):
        scores[:, silent] = -np.inf
    return sdr, sir, sar


def _check_filter_length(filter_length, n_samples):
    """Check that the distortion filter has at least one tap, and fewer taps
    than the signals have samples (else any estimate fits its reference)."""
    if (
        not isinstance(filter_length, Integral)
        or isinstance(filter_length, bool)
        or filter_length < 1
    ):
        raise ValueError(
            f"filter_length must be an integer of at least 1; got {filter_length=}."
        )
    if filter_length >= n_samples:
        raise ValueError(
            f"The signals have {n_samples} samples, too few for a distortion "
            f"filter of {filter_length=} taps; pass a shorter filter_length."
        )
    return int(filter_length)


def bss_eval(references, estimates, *, filter_length=512):
    """Signal-to-distortion, -interference and -artefact ratios, in dB.

    The BSS Eval criteria for sources (Vincent et al., 2006), as
    ``mir_eval.separation.bss_eval_sources`` and ``fast_bss_eval`` compute
    them. Each estimate ``e`` is projected on the span of its reference ``s``
    delayed by 0 to ``filter_length - 1`` samples (``P_s e``: the target, up
    to a time-invariant filter), and on the span of all references delayed
    alike (``P e``). With ``||.||`` the energy:

    - SDR = ``10 log10(||P_s e||^2 / ||e - P_s e||^2)``;
    - SIR = ``10 log10(||P_s e||^2 / ||P e - P_s e||^2)``;
    - SAR = ``10 log10(||P e||^2 / ||e - P e||^2)``.

    Estimate ``i`` is scored against reference ``i``; use
    :func:`separation_scores` to find the best matching first.

    Parameters
    ----------
    references : array-like of shape (n_samples,) or (n_sources, n_samples)
        True sources, one per row. No source may be all zeros.
    estimates : array-like of the same shape as ``references``
        Estimated sources, row ``i`` an estimate of reference ``i``.
    filter_length : int, default=512
        Number of taps of the distortion filter the target may go through,
        in samples (32 ms at 16 kHz). ``1`` allows only a gain.

    Returns
    -------
    sdr : float or ndarray of shape (n_sources,)
        Signal-to-distortion ratio in dB.
    sir : float or ndarray of shape (n_sources,)
        Signal-to-interference ratio in dB (+inf for a single source).
    sar : float or ndarray of shape (n_sources,)
        Signal-to-artefact ratio in dB. An all-zero estimate scores -inf on
        all three ratios.

    Raises
    ------
    ValueError
        If the shapes differ or are not 1-D or 2-D, if a value is not finite,
        if a reference source is all zeros, or if ``filter_length`` is below 1
        or not below the number of samples.

    See Also
    --------
    si_sdr : The scale-invariant SDR, with a gain instead of a filter.
    separation_scores : All scores, with the best matching of estimates.

    Notes
    -----
    The projections are solved in closed form from correlations computed by
    FFT: one Cholesky factorisation of a block-Toeplitz Gram matrix of size
    ``n_sources * filter_length``, and one per source of size
    ``filter_length``. When the references' delayed copies are linearly
    dependent (a pure tone, or a source that is a delayed copy of another)
    the matrix is singular, and a least-squares solution is used.

    References
    ----------
    .. [1] E. Vincent, R. Gribonval and C. Févotte, "Performance measurement in
       blind audio source separation", IEEE Transactions on Audio, Speech and
       Language Processing, 14(4), 2006, :doi:`10.1109/TSA.2005.858005`.
    .. [2] R. Scheibler, "SDR - medium rare with fast computations", ICASSP
       2022, arXiv:2110.06440.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx.metrics import bss_eval
    >>> rng = np.random.default_rng(0)
    >>> references = rng.standard_normal((2, 4000))
    >>> sdr, sir, sar = bss_eval(references, references + 0.1 * references[::-1])
    >>> np.round(sir, 1)
    array([20.5, 20.6])
    """
    references, estimates, single = _check_sources(references, estimates)
    filter_length = _check_filter_length(filter_length, references.shape[-1])

    sdr, sir, sar = _bss_eval_all_pairs(references, estimates, filter_length)
    scores = [np.diagonal(score).copy() for score in (sdr, sir, sar)]
    if single:
        return tuple(float(score[0]) for score in scores)
    return tuple(scores)


def separation_scores(references, estimates, *, permute=True, filter_length=512):
    """Score separated sources, matching each estimate to its best reference.

    Estimates come out of a separator in no particular order. With
    ``permute=True`` they are first matched one-to-one with the references so
    that the mean SDR is as large as possible; then every score is computed
    for the matched pairs.

    Parameters
    ----------
    references : array-like of shape (n_sources, n_samples)
        True sources, one per row. No source may be all zeros. A
        one-dimensional array is one source.
    estimates : array-like of shape (n_sources, n_samples)
        Estimated sources, in any order when ``permute=True``.
    permute : bool, default=True
        Whether to search the matching of estimates to references. If False,
        estimate ``i`` is scored against reference ``i``.
    filter_length : int, default=512
        Number of taps of the BSS Eval distortion filter, in samples; see
        :func:`bss_eval`.

    Returns
    -------
    scores : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes below, each an ndarray of
        shape (n_sources,) ordered like the references:

        si_sdr : ndarray of shape (n_sources,)
            Scale-invariant SDR in dB (:func:`si_sdr`).
        sdr, sir, sar : ndarray of shape (n_sources,)
            BSS Eval ratios in dB (:func:`bss_eval`).
        permutation : ndarray of shape (n_sources,), dtype int
            ``estimates[permutation[j]]`` is matched with ``references[j]``.

    Raises
    ------
    ValueError
        If the inputs are invalid (see :func:`bss_eval`).

    See Also
    --------
    bss_eval : The scores of fixed pairs.
    si_sdr : The scale-invariant SDR.

    Notes
    -----
    The matching maximises the sum of SDRs, a linear assignment problem,
    solved exactly by :func:`scipy.optimize.linear_sum_assignment` for any
    number of sources. While matching, scores are clipped to +-1000 dB so
    that a perfect or a silent estimate does not make every matching look
    alike. ``mir_eval`` and ``fast_bss_eval`` maximise the mean SIR instead;
    both criteria agree whenever the separation is reasonable.

    References
    ----------
    .. [1] E. Vincent, R. Gribonval and C. Févotte, "Performance measurement in
       blind audio source separation", IEEE Transactions on Audio, Speech and
       Language Processing, 14(4), 2006, :doi:`10.1109/TSA.2005.858005`.
    .. [2] H. W. Kuhn, "The Hungarian method for the assignment problem",
       Naval Research Logistics Quarterly 2(1-2), 1955.
       :doi:`10.1002/nav.3800020109`

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx.metrics import separation_scores
    >>> rng = np.random.default_rng(0)
    >>> references = rng.standard_normal((3, 4000))
    >>> estimates = references[[2, 0, 1]] + 0.01 * rng.standard_normal((3, 4000))
    >>> scores = separation_scores(references, estimates)
    >>> scores.permutation
    array([1, 2, 0])
    >>> bool(np.all(scores.sdr > 30))
    True
    """
    permute = bool(permute)
    references, estimates, _ = _check_sources(references, estimates)
    filter_length = _check_filter_length(filter_length, references.shape[-1])

    sdr, sir, sar = _bss_eval_all_pairs(references, estimates, filter_length)
    n_sources = references.shape[0]
    if permute:
        _, permutation = linear_sum_assignment(
            np.clip(sdr, -_CLIP_DB, _CLIP_DB), maximize=True
        )
    else:
        permutation = np.arange(n_sources)
    matched = (np.arange(n_sources), permutation)

    return Bunch(
        si_sdr=si_sdr(references, estimates[permutation]),
        sdr=sdr[matched],
        sir=sir[matched],
        sar=sar[matched],
        permutation=permutation,
    )
