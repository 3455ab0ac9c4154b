"""The ``separate`` command: from a WAV file to one WAV file per source."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import contextlib
import os
import secrets
import stat
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx._separator import SpectrogramSeparator
from sklearn_nmfx.audio import (
    bin_frequencies,
    frame_times,
    istft,
    read_wav,
    stft,
    write_wav,
)
from sklearn_nmfx.datasets import make_audio_mixture

BETA_NAMES = ("kullback-leibler", "frobenius", "itakura-saito")
BUILTIN_SAMPLE_RATE = 16000
# Decibel range shown in the figures, below each panel's peak.
DB_RANGE = 80.0

DESCRIPTION = """\
Separate the sources of an audio mixture with non-negative matrix
factorisation and Wiener masks, writing DIR/source_1.wav, DIR/source_2.wav...

Blind (no --train): NMF parts are learnt from the mixture and grouped into
--sources sources by their timbre. Supervised (--train A.wav B.wav ...): one
dictionary of parts is learnt from each clean recording, one per source, and
the mixture is explained by all of them.

Stereo (and other multichannel) WAV files are mixed down to mono by averaging
their channels, so the sources are written as mono files. Existing
DIR/source_N.wav files are replaced; the outputs are written together, so a
failure leaves none of them from this run.

Without MIX.wav, a built-in mixture of sklearn_nmfx.datasets is separated
(harmonic tones, percussive noise and, for 3 sources, a chirp), and the
separation is scored against its known sources."""


class CommandError(Exception):
    """A mistake in the command's input, reported in one line (exit status 2)."""


def _seed(text):
    """An integer seed in [0, 2**32 - 1] for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"expected 0 <= seed < 2**32, got {value}")
    return value


def _positive_int(text):
    """argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1; got {value}")
    return value


def _positive_float(text):
    """argparse type: a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}")
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a number > 0; got {text}")
    return value


def _beta(text):
    """argparse type: a divergence name or a real beta."""
    if text in BETA_NAMES:
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected one of {', '.join(BETA_NAMES)} or a number; got {text!r}"
        )
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number; got {text}")
    return value


def _one_line_error(parser):
    """An ``error`` method for ``parser`` that prints no usage block.

    The command's own errors are one line; argparse's would otherwise
    come after the whole usage message.
    """

    def error(message):
        parser.exit(2, f"{parser.prog}: error: {message}\n")

    return error


def add_parser(subparsers):
    """Add the ``separate`` command to the subparsers of the main parser.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers`` returned.

    Returns
    -------
    parser : argparse.ArgumentParser
        The command's parser, whose ``run`` default is :func:`run`.
    """
    parser = subparsers.add_parser(
        "separate",
        help="separate the sources of a WAV file into WAV files",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.error = _one_line_error(parser)
    parser.add_argument(
        "mixture",
        nargs="?",
        metavar="MIX.wav",
        help="the mixture, mixed down to mono if it is stereo; without it, a "
        "built-in mixture is separated",
    )
    parser.add_argument(
        "--sources",
        type=_positive_int,
        metavar="N",
        help="number of sources (default: 2; with --train, one per file; the "
        "built-in mixture has 2 or 3)",
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="folder for source_1.wav, source_2.wav, ... (created if needed; "
        "existing source_N.wav files are replaced)",
    )
    parser.add_argument(
        "--figure",
        metavar="FILE.png",
        help="also save a figure of the mixture, parts, activations and masks",
    )
    parser.add_argument(
        "--train",
        nargs="+",
        metavar="A.wav",
        help="clean recordings, one per source, for supervised separation "
        "(mixed down to mono if stereo)",
    )
    parser.add_argument(
        "--components",
        type=_positive_int,
        default=20,
        metavar="K",
        help="NMF parts: in all when blind, per source with --train (default: 20)",
    )
    parser.add_argument(
        "--beta",
        type=_beta,
        default="kullback-leibler",
        metavar="BETA",
        help="divergence: kullback-leibler (default), frobenius, itakura-saito, "
        "or a number",
    )
    parser.add_argument(
        "--seed", type=_seed, default=0, help="random seed (default: 0)"
    )
    parser.add_argument(
        "--grouping",
        choices=["timbre", "spectra", "activations"],
        default="timbre",
        help="how blind separation groups the parts into sources "
        "(default: %(default)s; see SpectrogramSeparator)",
    )
    parser.add_argument(
        "--n-fft",
        type=_positive_int,
        default=1024,
        metavar="SAMPLES",
        help="STFT frame length in samples (default: 1024, 64 ms at 16 kHz)",
    )
    parser.add_argument(
        "--hop-length",
        type=_positive_int,
        default=256,
        metavar="SAMPLES",
        help="STFT hop in samples (default: 256, 16 ms at 16 kHz)",
    )
    parser.add_argument(
        "--mask-power",
        type=_positive_float,
        default=2.0,
        metavar="P",
        help="Wiener mask exponent: 1 amplitude, 2 power masks (default: 2)",
    )
    parser.add_argument(
        "--max-iter",
        type=_positive_int,
        default=200,
        metavar="N",
        help="most NMF iterations (default: 200)",
    )
    parser.set_defaults(run=run)
    return parser


def _read(path, role):
    """Samples and rate of a WAV file, or a CommandError saying what is wrong."""
    try:
        return read_wav(path)
    except FileNotFoundError:
        raise CommandError(f"{role} {path!r}: no such file.") from None
    except (ValueError, IsADirectoryError) as exc:
        # read_wav's message names the file and says what is wrong.
        raise CommandError(f"{role}: {exc}") from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise CommandError(f"{role} {path!r} cannot be read: {reason}.") from None


def _frames(samples, args, what):
    """Complex STFT frames, or a CommandError when the signal is too short."""
    try:
        return stft(samples, n_fft=args.n_fft, hop_length=args.hop_length)
    except ValueError as exc:
        raise CommandError(f"{what}: {exc}") from None


def _existing_ancestor(path):
    """``path`` itself or its nearest ancestor that exists ('' for the cwd)."""
    existing = path
    while existing and not os.path.exists(existing):
        existing = os.path.dirname(existing)
    return existing


def _check_parts(n_sources, n_components):
    """Refuse more sources than NMF parts: each source needs one at least."""
    if n_components < n_sources:
        raise CommandError(
            f"{n_sources} sources are more than the {n_components} NMF parts "
            f"(--components {n_components}), and each source needs at least "
            f"one part; raise --components to {n_sources} or more, or ask for "
            "fewer --sources."
        )


def _n_sources(args):
    """The number of sources to write, checked before any file is read."""
    if args.train is None:
        n_sources = 2 if args.sources is None else args.sources
        if args.mixture is None and n_sources not in (2, 3):
            raise CommandError(
                f"the built-in mixture has 2 or 3 sources; got --sources {n_sources}."
            )
        _check_parts(n_sources, args.components)
        return n_sources
    if args.mixture is None:
        raise CommandError(
            "--train needs a mixture file MIX.wav to separate; put MIX.wav "
            "before --train, which takes every file after it."
        )
    if args.sources not in (None, len(args.train)):
        raise CommandError(
            f"--sources {args.sources} but {len(args.train)} --train files; "
            "give one clean recording per source."
        )
    if len(args.train) < 2:
        raise CommandError(
            "--train needs one clean recording per source, at least 2; "
            f"got {len(args.train)}."
        )
    return len(args.train)


def _check_out(path, n_sources):
    """Refuse an --out that is a file or that cannot be written into."""
    if not path:
        raise CommandError("--out must name a folder; got ''.")
    if os.path.exists(path) and not os.path.isdir(path):
        raise CommandError(f"--out {path!r} is a file, not a folder.")
    existing = _existing_ancestor(path)
    if existing and not os.path.isdir(existing):
        raise CommandError(f"--out {path!r}: {existing!r} is a file, not a folder.")
    if not os.access(existing or ".", os.W_OK):
        raise CommandError(f"--out {path!r}: {existing or '.'!r} is not writable.")
    for index in range(n_sources):
        target = os.path.join(path, f"source_{index + 1}.wav")
        if os.path.isdir(target):
            raise CommandError(f"--out {path!r}: {target!r} is a folder.")


def _check_figure(path):
    """Refuse a figure path whose folder is missing or whose type is unknown."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        existing = _existing_ancestor(folder)
        if not os.path.isdir(existing):
            raise CommandError(
                f"--figure {path!r}: {existing!r} is a file, not a folder."
            )
        raise CommandError(f"--figure {path!r}: the folder {folder!r} does not exist.")
    if os.path.isdir(path):
        raise CommandError(f"--figure {path!r} is a folder, not a file.")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"--figure {path!r}: the folder {folder!r} is not writable.")
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in ("png", "pdf", "svg"):
        raise CommandError(
            f"--figure {path!r}: expected a .png, .pdf or .svg file name."
        )
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CommandError(
            "--figure needs matplotlib, which is not installed "
            "(pip install 'sklearn_nmfx[plot]')."
        ) from None


def _same_file(first, second):
    """Whether two paths name one file, also when ``first`` does not exist yet."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        # A path that does not exist yet can still resolve to the other one.
        return os.path.realpath(first) == os.path.realpath(second)


def _check_not_inputs(outputs, args):
    """Refuse to write over MIX.wav or a --train file.

    Parameters
    ----------
    outputs : list of (str, str)
        The option that names each output and the output's path.
    args : argparse.Namespace
        The parsed options.
    """
    inputs = [] if args.mixture is None else [("MIX.wav", args.mixture)]
    inputs += [("--train file", path) for path in args.train or []]
    for option, output in outputs:
        for role, source in inputs:
            if _same_file(output, source):
                raise CommandError(
                    f"{option} would overwrite {role} {source!r} with the output "
                    f"{output!r}; choose another {option}."
                )


def _reason(exc):
    """What went wrong, without the temporary file name an OSError carries."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _reserve(path):
    """Create an empty temporary file next to ``path`` and return its name."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(8)}.tmp")
    # Mode 0o666 lets the umask decide the permissions, as open() would.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return temporary


def _write_all(writers):
    """Write every output, or none of them.

    Each output is written to a temporary file in its folder; only when all
    are written are they renamed into place. An output that replaces a file
    keeps that file's permissions, as with :func:`write_wav`.

    Parameters
    ----------
    writers : list of (str, callable)
        Each output's path and a function that writes it to the path given.
    """
    staged = []
    try:
        for path, write in writers:
            try:
                temporary = _reserve(path)
                staged.append((temporary, path))
                write(temporary)
            except (OSError, ValueError) as exc:
                raise CommandError(
                    f"cannot write {path!r}: {_reason(exc)}; no output of this run "
                    "was kept."
                ) from None
        for index, (temporary, path) in enumerate(staged):
            try:
                if os.path.exists(path):
                    os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
                os.replace(temporary, path)
            except OSError as exc:
                kept = ", ".join(repr(done) for _, done in staged[:index]) or "none"
                raise CommandError(
                    f"cannot replace {path!r}: {_reason(exc)}; outputs already in "
                    f"place: {kept}."
                ) from None
    finally:
        for temporary, _ in staged:
            if os.path.lexists(temporary):
                os.remove(temporary)


def _make_folder(path):
    """Create the output folder; return the folders made, deepest first."""
    made = []
    # The path as given, not normalised: makedirs creates "new" of "new/..".
    folder = path
    while folder and not os.path.exists(folder):
        made.append(folder)
        folder = os.path.dirname(folder)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"--out {path!r}: cannot create the folder: {exc}") from None
    return made


def _load_mixture(args):
    """Mixture samples, sample rate and, for the built-in one, its sources."""
    if args.mixture is not None:
        samples, rate = _read(args.mixture, "MIX.wav")
        return samples, rate, None
    n_sources = _n_sources(args)
    mixture = make_audio_mixture(
        n_sources=n_sources,
        sample_rate=BUILTIN_SAMPLE_RATE,
        random_state=args.seed,
    )
    names = ", ".join(mixture.source_names)
    print(
        "No input file: separating the built-in mixture of "
        f"sklearn_nmfx.datasets.make_audio_mixture ({names}; "
        f"random_state={args.seed}, {mixture.mixture.size / BUILTIN_SAMPLE_RATE:g} s "
        f"at {BUILTIN_SAMPLE_RATE} Hz)."
    )
    return mixture.mixture, BUILTIN_SAMPLE_RATE, mixture.sources


def _training_frames(args, rate):
    """Magnitude frames of the clean recordings and the source of each frame."""
    blocks, labels = [], []
    for index, path in enumerate(args.train):
        samples, train_rate = _read(path, "--train file")
        if train_rate != rate:
            raise CommandError(
                f"--train file {path!r} is sampled at {train_rate} Hz but the "
                f"mixture at {rate} Hz; resample one of them."
            )
        if not np.any(samples):
            raise CommandError(f"--train file {path!r} is silent.")
        frames = np.abs(_frames(samples, args, f"--train file {path!r}"))
        blocks.append(frames)
        labels.append(np.full(frames.shape[0], index))
    return np.vstack(blocks), np.concatenate(labels)


def _separator(args, n_sources):
    return SpectrogramSeparator(
        n_sources,
        n_components=args.components,
        beta_loss=args.beta,
        mask_power=args.mask_power,
        max_iter=args.max_iter,
        grouping=getattr(args, "grouping", "timbre"),
        random_state=args.seed,
    )


@contextlib.contextmanager
def _convergence_note():
    """Turn the solver's ConvergenceWarning into one line for the user."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        print(
            "Note: the factorisation stopped at --max-iter iterations before it "
            "converged; a larger --max-iter may separate better."
        )
    for caught_warning in caught:
        if not issubclass(caught_warning.category, ConvergenceWarning):
            warnings.warn_explicit(
                caught_warning.message,
                caught_warning.category,
                caught_warning.filename,
                caught_warning.lineno,
            )


def separate_frames(frames, args, train=None):
    """Fit a separator as the command line asks and separate complex frames.

    Parameters
    ----------
    frames : ndarray of shape (n_frames, n_bins), complex
        STFT frames of the mixture.
    args : argparse.Namespace
        The parsed options (``sources``, ``components``, ``beta``...).
    train : tuple of (ndarray, ndarray) or None, default=None
        Magnitude frames of clean recordings and the source of each frame,
        for supervised separation.

    Returns
    -------
    separator : SpectrogramSeparator
        The fitted separator.
    sources : ndarray of shape (n_sources, n_frames, n_bins), complex
        The separated frames.
    """
    if train is None:
        n_sources = 2 if args.sources is None else args.sources
        _check_parts(n_sources, args.components)
        separator = _separator(args, n_sources)
        with _convergence_note():
            return separator, separator.fit_separate(frames)
    X_train, y_train = train
    separator = _separator(args, None)
    with _convergence_note():
        separator.fit(X_train, y_train)
    return separator, separator.separate(frames)


def plot_separation(separator, frames, sources, sample_rate, n_fft, hop_length):
    """Figure of a mixture's spectrogram, the parts, activations and masks.

    Parameters
    ----------
    separator : SpectrogramSeparator
        The fitted separator.
    frames : ndarray of shape (n_frames, n_bins), complex or real
        The mixture's STFT frames.
    sources : ndarray of shape (n_sources, n_frames, n_bins)
        The separated frames.
    sample_rate : int
        Sampling rate in Hz.
    n_fft, hop_length : int
        STFT frame length and hop, in samples.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    """
    # A bare Figure draws to a file without pyplot or a window.
    from matplotlib.figure import Figure

    magnitude = np.abs(frames)
    n_sources = sources.shape[0]
    times = frame_times(
        magnitude.shape[0], sample_rate=sample_rate, n_fft=n_fft, hop_length=hop_length
    )
    freqs = bin_frequencies(sample_rate=sample_rate, n_fft=n_fft)
    time_extent = (times[0], times[-1])
    freq_extent = (freqs[0], freqs[-1])

    # Masks are recovered from the sources; silent points share equally.
    with np.errstate(divide="ignore", invalid="ignore"):
        masks = np.where(magnitude > 0, np.abs(sources) / magnitude, 1 / n_sources)
    activations = separator.activations(magnitude)

    def db(values):
        peak = max(float(values.max()), np.finfo(float).tiny)
        return 20 * np.log10(np.maximum(values, peak * 10 ** (-DB_RANGE / 20)) / peak)

    n_mask_rows = (n_sources + 1) // 2
    fig = Figure(figsize=(11, 4.2 + 2.6 * n_mask_rows), layout="constrained")
    grid = fig.add_gridspec(
        2 + n_mask_rows, 2, height_ratios=[1.3, 1] + [1] * n_mask_rows
    )

    ax = fig.add_subplot(grid[0, 0])
    image = ax.imshow(
        db(magnitude).T, origin="lower", aspect="auto", cmap="magma",
        extent=(*time_extent, *freq_extent),
    )  # fmt: skip
    ax.set(title="Mixture", xlabel="Time (s)", ylabel="Frequency (Hz)")
    fig.colorbar(image, ax=ax, label="Level (dB below peak)")

    ax = fig.add_subplot(grid[0, 1])
    parts = separator.components_
    image = ax.imshow(
        db(parts / parts.max(axis=1, keepdims=True)).T, origin="lower",
        aspect="auto", cmap="magma",
        extent=(-0.5, parts.shape[0] - 0.5, *freq_extent),
    )  # fmt: skip
    for edge in np.flatnonzero(np.diff(separator.component_sources_)):
        ax.axvline(edge + 0.5, color="white", linewidth=1.5)
    ax.set(
        title="Parts (white lines separate the sources)",
        xlabel="Part",
        ylabel="Frequency (Hz)",
    )
    fig.colorbar(image, ax=ax, label="Level (dB below the part's peak)")

    ax = fig.add_subplot(grid[1, :])
    image = ax.imshow(
        db(activations).T, origin="lower", aspect="auto", cmap="viridis",
        extent=(*time_extent, -0.5, activations.shape[1] - 0.5),
    )  # fmt: skip
    for edge in np.flatnonzero(np.diff(separator.component_sources_)):
        ax.axhline(edge + 0.5, color="white", linewidth=1.5)
    ax.set(title="Activations of the parts", xlabel="Time (s)", ylabel="Part")
    fig.colorbar(image, ax=ax, label="Activation (dB below peak)")

    for s in range(n_sources):
        ax = fig.add_subplot(grid[2 + s // 2, s % 2])
        image = ax.imshow(
            masks[s].T, origin="lower", aspect="auto", cmap="gray_r", vmin=0, vmax=1,
            extent=(*time_extent, *freq_extent),
        )  # fmt: skip
        ax.set(
            title=f"Mask of source {s + 1}", xlabel="Time (s)", ylabel="Frequency (Hz)"
        )
        fig.colorbar(image, ax=ax, label="Mask value")
    return fig


def _print_scores(references, signals, mixture):
    """Print the SDR of each source, and of the mixture for comparison."""
    from sklearn_nmfx.metrics import separation_scores

    mixed = np.tile(mixture, (len(references), 1))
    baseline = separation_scores(references, mixed, permute=False)
    scores = separation_scores(references, signals)
    print("Source  SDR (dB)  mixture SDR (dB)  improvement (dB)")
    for j in range(len(references)):
        print(
            f"{j + 1:6d}  {scores.sdr[j]:8.2f}  {baseline.sdr[j]:16.2f}  "
            f"{scores.sdr[j] - baseline.sdr[j]:16.2f}"
        )
    return scores


def run(args):
    """Run the ``separate`` command.

    Parameters
    ----------
    args : argparse.Namespace
        The options parsed by the parser of :func:`add_parser`.

    Returns
    -------
    status : int
        0 on success.

    Raises
    ------
    SystemExit
        With status 2, after a one-line message on standard error, when the
        input is wrong: a missing, empty or non-WAV file, an ``--out`` that is
        a file, mismatched sample rates, a signal shorter than a frame...
    """
    try:
        return _run(args)
    except (CommandError, OSError, ValueError) as exc:
        print(f"python -m sklearn_nmfx separate: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _run(args):
    # Every option and output location is checked before any work is done.
    if args.n_fft < 2:
        raise CommandError(f"--n-fft must be at least 2 samples; got {args.n_fft}.")
    if args.hop_length > args.n_fft:
        raise CommandError(
            f"--hop-length {args.hop_length} is longer than --n-fft {args.n_fft}."
        )
    n_sources = _n_sources(args)
    _check_out(args.out, n_sources)
    if args.figure is not None:
        _check_figure(args.figure)
    paths = [
        os.path.join(args.out, f"source_{index + 1}.wav") for index in range(n_sources)
    ]
    outputs = [("--out", path) for path in paths]
    if args.figure is not None:
        outputs.append(("--figure", args.figure))
    _check_not_inputs(outputs, args)

    samples, rate, references = _load_mixture(args)
    frames = _frames(samples, args, "MIX.wav")
    train = None if args.train is None else _training_frames(args, rate)
    separator, sources = separate_frames(frames, args, train)
    signals = np.stack(
        [
            istft(s, n_fft=args.n_fft, hop_length=args.hop_length, length=samples.size)
            for s in sources
        ]
    )

    # All outputs are written, or none: a partial set would mix two runs.
    writers = []
    for path, signal in zip(paths, signals):
        # Integer samples would clip a source louder than full scale.
        dtype = "int16" if np.abs(signal).max() <= 1 else "float32"
        writers.append((path, _wav_writer(signal, rate, dtype)))
    if args.figure is not None:
        fig = plot_separation(
            separator, frames, sources, rate, args.n_fft, args.hop_length
        )
        writers.append((args.figure, _figure_writer(fig, args.figure)))
    made = _make_folder(args.out)
    try:
        _write_all(writers)
    except BaseException:
        # Leave no empty folder behind either; os.rmdir removes only empty ones.
        for folder in made:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise
    for path, _ in writers:
        print(f"Wrote {path}")

    if references is not None:
        _print_scores(references, signals, samples)
    return 0


def _wav_writer(signal, rate, dtype):
    """A function writing ``signal`` to the WAV file it is given."""

    def write(path):
        write_wav(path, signal, rate, dtype=dtype)

    return write


def _figure_writer(fig, name):
    """A function saving ``fig`` in the format that ``name`` ends with."""
    extension = os.path.splitext(name)[1].lower().lstrip(".")

    def write(path):
        fig.savefig(path, dpi=100, format=extension)

    return write


def main(argv=None):
    """Parse ``argv`` as the ``separate`` command's arguments and run it."""
    parser = argparse.ArgumentParser(prog="python -m sklearn_nmfx")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)
