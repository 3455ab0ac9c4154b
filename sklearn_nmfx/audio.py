"""Short-time Fourier transform, its inverse, and WAV file reading and writing."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import secrets
import stat
import struct
from numbers import Integral

import numpy as np
import scipy.io.wavfile
from scipy.signal import ShortTimeFFT, get_window

__all__ = [
    "bin_frequencies",
    "frame_times",
    "istft",
    "read_wav",
    "stft",
    "write_wav",
]

# The STFT parameters are described once here and filled into every docstring
# that takes them, so that the descriptions cannot drift apart.
_STFT_DOCS = {
    "{n_fft}": """n_fft : int, default=1024
        Length of a frame and of its FFT, in samples (at least 2). The default
        is 64 ms at 16 kHz. A frame has ``n_fft // 2 + 1`` frequency bins,
        spaced ``sample_rate / n_fft`` Hz apart.""",
    "{hop_length}": """hop_length : int, default=256
        Distance between the centres of two consecutive frames, in samples,
        with ``0 < hop_length <= n_fft``. The default is 16 ms at 16 kHz.""",
    "{window}": """window : str, tuple or array-like of shape (n_fft,), default='hann'
        Analysis window. A name or a ``(name, parameter)`` tuple is passed to
        :func:`scipy.signal.get_window` (periodic version); an array is used
        as it is. Together with ``hop_length`` it must allow an inverse:
        every sample has to lie under a non-zero part of some frame's window
        (a periodic Hann window with ``hop_length == n_fft`` does not).""",
}

_WAV_DTYPES = ("int16", "int32", "float32")


def _fill_stft_docs(func):
    """Put the shared STFT parameter descriptions into ``func``'s docstring."""
    # Docstrings are absent under python -OO.
    for key, text in _STFT_DOCS.items():
        if func.__doc__:
            func.__doc__ = func.__doc__.replace(key, text)
    return func


def _check_int(value, name, low, high=None):
    """Return ``value`` as an int after checking ``low <= value <= high``."""
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int; got {value!r}.")
    if value < low or (high is not None and value > high):
        expected = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be {expected}; got {name}={value}.")
    return int(value)


def _stft_plan(n_fft, hop_length, window):
    """Build the :class:`scipy.signal.ShortTimeFFT` that the STFT pair shares.

    Parameters
    ----------
    n_fft : int
        Frame length in samples.
    hop_length : int
        Frame step in samples.
    window : str, tuple or array-like of shape (n_fft,)
        Analysis window.

    Returns
    -------
    plan : scipy.signal.ShortTimeFFT
        An invertible one-sided transform without scaling (the window is
        used as it is), whose dual window gives the exact inverse.
    """
    n_fft = _check_int(n_fft, "n_fft", 2)
    hop_length = _check_int(hop_length, "hop_length", 1, n_fft)

    if isinstance(window, (str, tuple)):
        try:
            win = get_window(window, n_fft, fftbins=True)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"window={window!r} is not a window that "
                f"scipy.signal.get_window knows: {exc}"
            ) from exc
    else:
        win = np.asarray(window, dtype=float)
        if win.shape != (n_fft,):
            raise ValueError(
                f"window must have shape (n_fft,) = ({n_fft},); got an array "
                f"of shape {win.shape}."
            )
    if not np.all(np.isfinite(win)):
        raise ValueError("window must hold finite values only.")
    # ShortTimeFFT would divide by zero building the dual window of a window
    # of zeros, and istft would then return NaN.
    if not np.any(win):
        raise ValueError(
            "window is zero everywhere, so the STFT cannot be inverted; use a "
            "window with non-zero values."
        )

    # phase_shift=None: a frame is the plain rfft of the windowed segment, its
    # phase measured from the segment's first sample (as in librosa), not
    # from the window's centre (scipy's default).
    plan = ShortTimeFFT(win, hop_length, fs=1.0, fft_mode="onesided", phase_shift=None)
    # The dual window exists only when every sample is covered by a non-zero
    # part of some window; otherwise no inverse can be exact. A window too
    # small to divide by gives a dual window that is not finite.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        invertible = plan.invertible and np.all(np.isfinite(plan.dual_win))
    if not invertible:
        # An array's repr would fill several lines of the message.
        shown = repr(window) if isinstance(window, (str, tuple)) else "an array"
        raise ValueError(
            f"The STFT with window={shown}, n_fft={n_fft} and "
            f"hop_length={hop_length} cannot be inverted: some samples lie "
            "only under zeros (or near-zeros) of the window. Use a smaller "
            "hop_length."
        )
    return plan


def _min_length(n_fft):
    """Shortest signal, in samples, that the STFT pair accepts: half a frame."""
    return n_fft - n_fft // 2


@_fill_stft_docs
def stft(x, *, n_fft=1024, hop_length=256, window="hann"):
    """Short-time Fourier transform of a real signal, one frame per row.

    Frame ``t`` is ``numpy.fft.rfft(window * segment)``, where ``segment`` is
    the ``n_fft`` samples centred on sample ``c = (t + offset) * hop_length``,
    from ``c - n_fft // 2`` on; ``offset`` is 0 or negative (see
    :func:`frame_times`), as the signal is padded with zeros so that every
    frame that touches it is computed. This padding is what lets
    :func:`istft` rebuild the first and last samples exactly. No other
    scaling is applied.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        Real, finite signal of at least ``n_fft - n_fft // 2`` samples (half
        a frame). Integer input is converted to float64; float32 input gives
        complex64 frames.
    {n_fft}
    {hop_length}
    {window}

    Returns
    -------
    frames : ndarray of shape (n_frames, n_fft // 2 + 1), complex
        Complex spectra: rows are time frames, columns frequency bins (the
        orientation of scikit-learn's ``X``). ``numpy.abs(frames)`` is the
        magnitude spectrogram.

    Raises
    ------
    ValueError
        If ``x`` is not one-dimensional, not real, not finite or too short,
        or if ``n_fft``, ``hop_length`` or ``window`` are out of range or do
        not allow an inverse.
    TypeError
        If ``n_fft`` or ``hop_length`` is not an int.

    See Also
    --------
    istft : The inverse transform.
    frame_times : Time of each frame's centre.
    bin_frequencies : Frequency of each bin.

    References
    ----------
    .. [1] J. B. Allen and L. R. Rabiner, "A unified approach to short-time
       Fourier analysis and synthesis", Proceedings of the IEEE 65(11), 1977.
       :doi:`10.1109/PROC.1977.10770`
    .. [2] D. W. Griffin and J. S. Lim, "Signal estimation from modified
       short-time Fourier transform", IEEE Transactions on Acoustics, Speech,
       and Signal Processing 32(2), 1984. :doi:`10.1109/TASSP.1984.1164317`

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx.audio import istft, stft
    >>> x = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    >>> frames = stft(x)
    >>> frames.shape
    (66, 513)
    >>> y = istft(frames, length=len(x))
    >>> bool(np.allclose(x, y, atol=1e-10))
    True
    """
    plan = _stft_plan(n_fft, hop_length, window)
    x = np.asarray(x)
    if x.ndim != 1:
        raise ValueError(
            f"x must be a one-dimensional signal; got an array of shape {x.shape}."
        )
    if np.iscomplexobj(x) or not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise ValueError(f"x must be real-valued; got dtype {x.dtype}.")
    if x.shape[0] < _min_length(n_fft):
        raise ValueError(
            f"x has {x.shape[0]} samples; the STFT with n_fft={n_fft} needs at "
            f"least n_fft - n_fft // 2 = {_min_length(n_fft)}. Use a smaller "
            "n_fft or a longer signal."
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x must hold finite values only (no NaN or inf).")

    out_dtype = np.complex64 if x.dtype == np.float32 else np.complex128
    frames = plan.stft(x.astype(np.float64, copy=False))
    # ShortTimeFFT returns (bins, frames); the package's orientation is the
    # transpose, frames as rows like the samples of scikit-learn's X.
    return np.ascontiguousarray(frames.T, dtype=out_dtype)


@_fill_stft_docs
def istft(frames, *, n_fft=1024, hop_length=256, window="hann", length=None):
    """Inverse of :func:`stft`: rebuild a real signal from its frames.

    The frames are overlap-added with the canonical dual window of ``window``
    (:attr:`scipy.signal.ShortTimeFFT.dual_win`), so that
    ``istft(stft(x), length=len(x))`` equals ``x`` to rounding error. Use the
    same ``n_fft``, ``hop_length`` and ``window`` as in :func:`stft`.

    Parameters
    ----------
    frames : array-like of shape (n_frames, n_fft // 2 + 1)
        Complex spectra, one row per frame, as :func:`stft` returns them (the
        first row is the first frame :func:`stft` computes). A modified
        spectrogram, such as a masked one, is accepted as well.
    {n_fft}
    {hop_length}
    {window}
    length : int, default=None
        Number of samples to return. Pass the length of the original signal
        to get it back exactly. ``None`` returns every sample that the
        frames cover, which is the original followed by a tail of
        reconstructed zero padding.

    Returns
    -------
    x : ndarray of shape (length,)
        Real signal; float32 for complex64 frames, float64 otherwise.

    Raises
    ------
    ValueError
        If ``frames`` does not have ``n_fft // 2 + 1`` columns, holds too few
        frames or non-finite values, if ``length`` is longer than what the
        frames cover or shorter than half a frame, or if the STFT parameters
        are out of range.
    TypeError
        If ``n_fft``, ``hop_length`` or ``length`` is not an int.

    See Also
    --------
    stft : The forward transform.

    References
    ----------
    .. [1] D. W. Griffin and J. S. Lim, "Signal estimation from modified
       short-time Fourier transform", IEEE Transactions on Acoustics, Speech,
       and Signal Processing 32(2), 1984. :doi:`10.1109/TASSP.1984.1164317`
       (overlap-add with a normalised window as the least-squares inverse).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx.audio import istft, stft
    >>> x = np.random.default_rng(0).standard_normal(4001)
    >>> frames = stft(x, n_fft=512, hop_length=128)
    >>> y = istft(frames, n_fft=512, hop_length=128, length=4001)
    >>> float(np.max(np.abs(x - y))) < 1e-10
    True
    """
    plan = _stft_plan(n_fft, hop_length, window)
    frames = np.asarray(frames)
    n_bins = n_fft // 2 + 1
    if frames.ndim != 2 or frames.shape[1] != n_bins:
        raise ValueError(
            f"frames must have shape (n_frames, n_fft // 2 + 1) = (n_frames, "
            f"{n_bins}) for n_fft={n_fft}; got shape {frames.shape}."
        )
    min_frames = plan.p_num(_min_length(n_fft))
    if frames.shape[0] < min_frames:
        raise ValueError(
            f"frames holds {frames.shape[0]} frames; n_fft={n_fft} and "
            f"hop_length={hop_length} need at least {min_frames}."
        )
    if not np.all(np.isfinite(frames)):
        raise ValueError("frames must hold finite values only (no NaN or inf).")

    # Samples that the frames cover, counted as ShortTimeFFT.istft does.
    last_frame = frames.shape[0] - 1 + plan.p_min
    covered = last_frame * plan.hop + plan.m_num - plan.m_num_mid
    if length is None:
        length = covered
    length = _check_int(length, "length", _min_length(n_fft))
    if length > covered:
        raise ValueError(
            f"length={length} is longer than the {covered} samples that "
            f"{frames.shape[0]} frames cover with n_fft={n_fft} and "
            f"hop_length={hop_length}."
        )

    out_dtype = np.float32 if frames.dtype == np.complex64 else np.float64
    x = plan.istft(frames.T.astype(np.complex128, copy=False), k1=length)
    return x.astype(out_dtype, copy=False)


@_fill_stft_docs
def frame_times(n_frames, *, sample_rate, n_fft=1024, hop_length=256):
    """Time, in seconds, of the centre of each frame that :func:`stft` returns.

    The first frames start before the signal (it is padded with zeros), so
    the first times can be negative.

    Parameters
    ----------
    n_frames : int
        Number of frames (rows of :func:`stft`'s output).
    sample_rate : int or float
        Sampling rate of the signal, in Hz.
    {n_fft}
    {hop_length}

    Returns
    -------
    times : ndarray of shape (n_frames,)
        Centre of frame ``t`` in seconds.

    Raises
    ------
    ValueError
        If ``n_frames`` is negative, ``sample_rate`` is not positive, or the
        STFT parameters are out of range.

    See Also
    --------
    stft : The frames whose rows these times label.
    bin_frequencies : Frequency of each column of the frames.

    Examples
    --------
    >>> from sklearn_nmfx.audio import frame_times
    >>> frame_times(4, sample_rate=16000)
    array([-0.016, 0.   , 0.016, 0.032])
    """
    n_frames = _check_int(n_frames, "n_frames", 0)
    n_fft = _check_int(n_fft, "n_fft", 2)
    hop_length = _check_int(hop_length, "hop_length", 1, n_fft)
    if not np.isfinite(sample_rate) or sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive; got {sample_rate=}.")

    # Only the window's length matters for the frame positions.
    plan = ShortTimeFFT(np.ones(n_fft), hop_length, fs=1.0)
    return (np.arange(n_frames) + plan.p_min) * hop_length / sample_rate


@_fill_stft_docs
def bin_frequencies(*, sample_rate, n_fft=1024):
    """Frequency, in Hz, of each column of :func:`stft`'s output.

    Parameters
    ----------
    sample_rate : int or float
        Sampling rate of the signal, in Hz.
    {n_fft}

    Returns
    -------
    frequencies : ndarray of shape (n_fft // 2 + 1,)
        Frequency of bin ``f``, from 0 Hz to ``sample_rate / 2`` (for even
        ``n_fft``).

    Raises
    ------
    ValueError
        If ``sample_rate`` is not positive or ``n_fft`` is below 2.

    See Also
    --------
    stft : The frames whose columns these frequencies label.
    frame_times : Time of each row of the frames.

    Examples
    --------
    >>> from sklearn_nmfx.audio import bin_frequencies
    >>> bin_frequencies(sample_rate=16000, n_fft=8)
    array([   0., 2000., 4000., 6000., 8000.])
    """
    n_fft = _check_int(n_fft, "n_fft", 2)
    if not np.isfinite(sample_rate) or sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive; got {sample_rate=}.")
    return np.fft.rfftfreq(n_fft, d=1.0 / sample_rate)


def _parse_failure(exc):
    """One line saying why :func:`scipy.io.wavfile.read` failed."""
    # scipy divides by the header's channel count and block size unchecked.
    if isinstance(exc, ZeroDivisionError):
        return "its header gives 0 channels or a block size of 0 bytes."
    if isinstance(exc, (EOFError, struct.error)) and not str(exc):
        return "the file ends too early."
    return " ".join(str(exc).split()) or type(exc).__name__


def read_wav(path, *, mono=True):
    """Read a WAV file into floating-point samples.

    Integer PCM is scaled to [-1, 1): 16-bit and 32-bit samples (and 24-bit
    ones, which :mod:`scipy.io.wavfile` reads as 32-bit) are divided by
    ``2 ** (bits - 1)``; unsigned 8-bit samples become ``(x - 128) / 128``.
    Floating-point samples are returned as stored, without clipping.

    Parameters
    ----------
    path : str or path-like
        WAV file to read.
    mono : bool, default=True
        If True, mix all channels down to one by averaging them (a stereo
        file ``(left, right)`` becomes ``(left + right) / 2``) and return a
        one-dimensional array. If False, return every channel, also for a
        mono file.

    Returns
    -------
    samples : ndarray of shape (n_samples,) or (n_samples, n_channels)
        The samples as float64; one-dimensional when ``mono=True``.
    sample_rate : int
        Sampling rate in Hz.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a directory.
    ValueError
        If ``path`` is not a WAV file that :mod:`scipy.io.wavfile` can read,
        if its header gives a sample rate that is not positive, or if it
        holds no samples. The message names the file.

    See Also
    --------
    write_wav : Write samples to a WAV file.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklearn_nmfx.audio import read_wav, write_wav
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "tone.wav")
    ...     write_wav(path, np.array([0.0, 0.5, -0.5, 1.0]), 8000)
    ...     samples, sample_rate = read_wav(path)
    >>> samples, sample_rate
    (array([ 0.        ,  0.5       , -0.5       ,  0.99996948]), 8000)
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path!r} is a directory, not a WAV file.")
    if not os.path.exists(path):
        raise FileNotFoundError(f"No WAV file at path={path!r}.")
    # Reading a FIFO or a device could block or never end.
    if not os.path.isfile(path):
        raise ValueError(f"{path!r} is not a regular file, so not a WAV file.")
    # Opening is done here so that an error opening the file (no permission)
    # stays an OSError; whatever the parser raises means a malformed file.
    with open(path, "rb") as handle:
        try:
            sample_rate, data = scipy.io.wavfile.read(handle, mmap=False)
        except Exception as exc:
            raise ValueError(
                f"{path!r} is not a readable WAV file: {_parse_failure(exc)}"
            ) from exc
    if sample_rate <= 0:
        raise ValueError(
            f"{path!r} is not a readable WAV file: its header gives a sample "
            f"rate of {sample_rate} Hz."
        )
    if data.shape[0] == 0 or data.size == 0:
        raise ValueError(f"The WAV file {path!r} holds no samples.")

    if data.dtype == np.uint8:
        samples = (data.astype(np.float64) - 128.0) / 128.0
    elif np.issubdtype(data.dtype, np.signedinteger):
        samples = data.astype(np.float64) / -float(np.iinfo(data.dtype).min)
    else:
        samples = data.astype(np.float64)

    if samples.ndim == 1:
        samples = samples[:, np.newaxis]
    if mono:
        samples = samples.mean(axis=1)
    return samples, int(sample_rate)


def _to_wav_data(samples, dtype):
    """Convert float samples to the array that goes into the file."""
    if dtype == "float32":
        return samples.astype(np.float32)
    info = np.iinfo(dtype)
    # Scale by 2 ** (bits - 1) so that reading divides by the same number;
    # +1.0 would land one step above the largest code, hence the clip.
    scaled = np.rint(np.clip(samples, -1.0, 1.0) * -float(info.min))
    return np.clip(scaled, info.min, info.max).astype(dtype)


def write_wav(path, samples, sample_rate, *, dtype="int16"):
    """Write floating-point samples to a WAV file, atomically.

    The file is first written to a temporary file in the same folder, which
    then replaces ``path`` in one step (:func:`os.replace`): ``path`` is
    either written whole or left as it was. On an error the temporary file
    is removed. An existing file keeps its permissions.

    Parameters
    ----------
    path : str or path-like
        WAV file to write; its folder must exist.
    samples : array-like of shape (n_samples,) or (n_samples, n_channels)
        Finite real samples, nominally in [-1, 1]. The array is not modified.
    sample_rate : int
        Sampling rate in Hz, a positive integer.
    dtype : {'int16', 'int32', 'float32'}, default='int16'
        Sample format in the file. For the integer formats the samples are
        clipped to [-1, 1], multiplied by ``2 ** (bits - 1)`` and rounded
        (+1.0 becomes the largest code, ``2 ** (bits - 1) - 1``).
        'float32' stores the values as they are, without clipping.

    Raises
    ------
    ValueError
        If ``samples`` is empty, not real, not finite or has more than two
        dimensions, or if ``sample_rate`` or ``dtype`` is invalid.
    FileNotFoundError
        If the folder of ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a directory.

    See Also
    --------
    read_wav : Read a WAV file.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklearn_nmfx.audio import read_wav, write_wav
    >>> stereo = np.array([[0.25, -0.25], [0.5, 0.0]])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "stereo.wav")
    ...     write_wav(path, stereo, 16000, dtype="float32")
    ...     samples, sample_rate = read_wav(path, mono=False)
    >>> samples.shape, sample_rate
    ((2, 2), 16000)
    """
    path = os.fspath(path)
    if dtype not in _WAV_DTYPES:
        raise ValueError(f"dtype must be one of {_WAV_DTYPES}; got {dtype=!r}.")
    sample_rate = _check_int(sample_rate, "sample_rate", 1, 2**32 - 1)
    samples = np.asarray(samples)
    if np.iscomplexobj(samples) or not (
        np.issubdtype(samples.dtype, np.number) or samples.dtype == bool
    ):
        raise ValueError(f"samples must be real-valued; got dtype {samples.dtype}.")
    if samples.ndim not in (1, 2) or samples.size == 0:
        raise ValueError(
            "samples must be a non-empty array of shape (n_samples,) or "
            f"(n_samples, n_channels); got shape {samples.shape}."
        )
    if not np.all(np.isfinite(samples)):
        raise ValueError("samples must hold finite values only (no NaN or inf).")
    if dtype == "float32" and np.abs(samples).max() > np.finfo(np.float32).max:
        raise ValueError(
            "samples exceed the range of dtype='float32' "
            f"(largest magnitude {np.abs(samples).max():.3g})."
        )
    data = np.ascontiguousarray(_to_wav_data(samples.astype(np.float64), dtype))

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"The folder {folder!r} of {path!r} does not exist.")
    # os.replace would fail naming the temporary file instead of ``path``.
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"Cannot write a WAV file at path={path!r}: it is a directory."
        )
    temp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(8)}.tmp")
    # Mode 0o666 lets the umask decide the permissions of a new file, as
    # open() would; mkstemp's 0o600 would leak into the final file.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            scipy.io.wavfile.write(handle, sample_rate, data)
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(path):
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
