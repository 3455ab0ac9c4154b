"""Tests of the ``separate`` command line."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.io.wavfile
from _recordings import raw_wav
from numpy.testing import assert_allclose

from sklearn_nmfx import _cli_separate
from sklearn_nmfx.__main__ import main
from sklearn_nmfx._cli_separate import CommandError, _run, add_parser, run
from sklearn_nmfx.audio import read_wav, write_wav
from sklearn_nmfx.datasets import make_audio_mixture

# Small frames, few parts and iterations keep every run well under a second.
FAST = ["--n-fft", "512", "--hop-length", "128", "--components", "6"]
FAST += ["--max-iter", "30"]
RATE = 16000


def _args(argv):
    """Parse ``separate`` arguments as ``python -m sklearn_nmfx`` does."""
    parser = argparse.ArgumentParser(prog="python -m sklearn_nmfx")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["separate", *argv])


@pytest.fixture
def recordings(tmp_path):
    """A 1 s built-in mixture and its two sources, as WAV files."""
    data = make_audio_mixture(duration=1.0, n_sources=2, random_state=0)
    paths = {}
    for name, signal in [("mix", data.mixture), *zip(("a", "b"), data.sources)]:
        paths[name] = tmp_path / f"{name}.wav"
        write_wav(paths[name], signal, RATE, dtype="float32")
    return paths


def _error(capsys, argv):
    """Run the command expecting a usage error; return its message."""
    with pytest.raises(SystemExit) as info:
        run(_args(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_cli_separate_writes_one_wav_per_source(recordings, tmp_path):
    """Blind separation writes source_1.wav, source_2.wav adding up to MIX."""
    out = tmp_path / "out"
    assert (
        run(_args([str(recordings["mix"]), "--sources", "2", "--out", str(out)])) == 0
    )
    assert sorted(os.listdir(out)) == ["source_1.wav", "source_2.wav"]
    mixture, rate = read_wav(recordings["mix"])
    signals = [read_wav(out / f"source_{i}.wav") for i in (1, 2)]
    assert all(r == rate for _, r in signals)
    total = signals[0][0] + signals[1][0]
    # int16 files: each source is off by at most half a step.
    assert_allclose(total, mixture, atol=2 / 32768)


def test_cli_separate_three_sources(recordings, tmp_path):
    """--sources 3 writes three files."""
    out = tmp_path / "out"
    run(_args([str(recordings["mix"]), "--sources", "3", "--out", str(out), *FAST]))
    assert sorted(os.listdir(out)) == [f"source_{i}.wav" for i in (1, 2, 3)]


def test_cli_separate_supervised_with_train_files(recordings, tmp_path, capsys):
    """--train learns one dictionary per clean recording."""
    out = tmp_path / "out"
    argv = [str(recordings["mix"]), "--out", str(out), *FAST]
    argv += ["--train", str(recordings["a"]), str(recordings["b"])]
    run(_args(argv))
    assert sorted(os.listdir(out)) == ["source_1.wav", "source_2.wav"]
    mixture, _ = read_wav(recordings["mix"])
    first, _ = read_wav(out / "source_1.wav")
    truth, _ = read_wav(recordings["a"])
    # Trained on the sources themselves, source 1 is close to the first one.
    assert np.linalg.norm(first - truth) < 0.5 * np.linalg.norm(mixture - truth)


def test_cli_separate_builtin_mixture_says_so(tmp_path, capsys):
    """Without MIX.wav the built-in mixture is separated and scored."""
    out = tmp_path / "out"
    run(_args(["--out", str(out), *FAST]))
    printed = capsys.readouterr().out
    assert "No input file: separating the built-in mixture" in printed
    assert "make_audio_mixture (harmonic, percussive" in printed
    assert "improvement (dB)" in printed
    assert sorted(os.listdir(out)) == ["source_1.wav", "source_2.wav"]


def test_cli_separate_figure(recordings, tmp_path):
    """--figure saves a PNG of the spectrogram, parts, activations and masks."""
    out, figure = tmp_path / "out", tmp_path / "separation.png"
    argv = [str(recordings["mix"]), "--out", str(out), "--figure", str(figure)]
    run(_args([*argv, *FAST]))
    with open(figure, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")] == []


def test_cli_separate_creates_the_out_folder(recordings, tmp_path):
    """--out may name a folder that does not exist yet, several levels deep."""
    out = tmp_path / "a" / "b"
    run(_args([str(recordings["mix"]), "--out", str(out), *FAST]))
    assert (out / "source_2.wav").is_file()


def test_cli_separate_missing_file(tmp_path, capsys):
    """A missing MIX.wav is one line of error and status 2."""
    missing = str(tmp_path / "nothing.wav")
    err = _error(capsys, [missing, "--out", str(tmp_path / "out")])
    assert "nothing.wav': no such file" in err


def test_cli_separate_not_a_wav_file(tmp_path, capsys):
    """A file that is not WAV is refused."""
    text = tmp_path / "notes.wav"
    text.write_text("these are not samples\n")
    err = _error(capsys, [str(text), "--out", str(tmp_path / "out")])
    assert "is not a readable WAV file" in err


def test_cli_separate_empty_wav_file(tmp_path, capsys):
    """A WAV file without samples is refused."""
    empty = tmp_path / "empty.wav"
    scipy.io.wavfile.write(empty, RATE, np.zeros(0, dtype=np.int16))
    err = _error(capsys, [str(empty), "--out", str(tmp_path / "out")])
    assert "holds no samples" in err


def test_cli_separate_out_is_a_file(recordings, tmp_path, capsys):
    """--out must be a folder."""
    err = _error(capsys, [str(recordings["mix"]), "--out", str(recordings["a"])])
    assert "is a file, not a folder" in err


def test_cli_separate_too_short_for_a_frame(tmp_path, capsys):
    """A signal shorter than half a frame cannot be separated."""
    short = tmp_path / "short.wav"
    write_wav(short, np.zeros(100), RATE)
    err = _error(capsys, [str(short), "--out", str(tmp_path / "out")])
    assert "MIX.wav: x has 100 samples" in err


def test_cli_separate_train_rate_mismatch(recordings, tmp_path, capsys):
    """Training files must have the mixture's sample rate."""
    other = tmp_path / "other.wav"
    write_wav(other, np.zeros(8000), 8000)
    argv = [str(recordings["mix"]), "--out", str(tmp_path / "out")]
    err = _error(capsys, [*argv, "--train", str(recordings["a"]), str(other)])
    assert "is sampled at 8000 Hz but the mixture at 16000 Hz" in err


def test_cli_separate_sources_must_match_train_files(recordings, tmp_path, capsys):
    """--sources, when given with --train, is the number of files."""
    argv = [str(recordings["mix"]), "--out", str(tmp_path), "--sources", "3"]
    err = _error(capsys, [*argv, "--train", str(recordings["a"]), str(recordings["b"])])
    assert "--sources 3 but 2 --train files" in err


def test_cli_separate_builtin_has_two_or_three_sources(tmp_path, capsys):
    """The built-in mixture cannot be split into four sources."""
    err = _error(capsys, ["--out", str(tmp_path), "--sources", "4"])
    assert "the built-in mixture has 2 or 3 sources; got --sources 4" in err


@pytest.mark.parametrize(
    "argv, match",
    [
        (
            ["--sources", "3", "--components", "2"],
            r"^3 sources are more than the 2 NMF parts \(--components 2\), and each "
            r"source needs at least one part; raise --components to 3 or more",
        ),
        (
            ["--sources", "100000"],
            r"^100000 sources are more than the 20 NMF parts \(--components 20\)",
        ),
    ],
)
def test_cli_separate_fewer_parts_than_sources(recordings, tmp_path, argv, match):
    """Blind separation needs a part per source, and says so without blaming K."""
    with pytest.raises(CommandError, match=match):
        _run(_args([str(recordings["mix"]), "--out", str(tmp_path / "out"), *argv]))


def test_cli_separate_figure_needs_a_known_type(recordings, tmp_path, capsys):
    """--figure must end in .png, .pdf or .svg and its folder must exist."""
    argv = [str(recordings["mix"]), "--out", str(tmp_path)]
    err = _error(capsys, [*argv, "--figure", str(tmp_path / "figure.txt")])
    assert "expected a .png, .pdf or .svg file name" in err
    err = _error(capsys, [*argv, "--figure", str(tmp_path / "no" / "f.png")])
    assert "does not exist" in err


def test_cli_separate_accepts_any_beta(recordings, tmp_path):
    """--beta takes a number as well as a name."""
    out = tmp_path / "out"
    run(_args([str(recordings["mix"]), "--out", str(out), "--beta", "0.5", *FAST]))
    assert (out / "source_1.wav").is_file()


def test_cli_separate_runs_as_a_module(recordings, tmp_path):
    """``python -m sklearn_nmfx separate`` runs, and errors exit with status 2."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sklearn_nmfx", "separate"]
    done = subprocess.run(
        [*command, str(recordings["mix"]), "--out", str(out), *FAST],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "source_2.wav").is_file()
    failed = subprocess.run(
        [*command, str(tmp_path / "missing.wav"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 2
    assert "no such file" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_tour_separate_step_prints_scores_and_saves(tmp_path, capsys):
    """The tour's step separates the built-in mixture and saves its outputs."""
    from sklearn_nmfx._tour_separate import tour_step

    tour_step(str(tmp_path))
    printed = capsys.readouterr().out
    for method in ["SpectrogramSeparator, blind", "sklearn NMF + k-means, blind"]:
        assert method in printed
    assert "ideal ratio mask (ceiling)" in printed
    for name in ["separation_mixture.wav", "separation_source_1.wav"]:
        assert (tmp_path / name).is_file()
    assert (tmp_path / "separation.png").is_file()


def test_cli_separate_train_needs_two_sounding_recordings(tmp_path, capsys):
    """One --train file, or a silent one, is refused with a one-line error."""
    rate = 16000
    t = np.arange(rate) / rate
    tone = 0.3 * np.sin(2 * np.pi * 440 * t)
    write_wav(tmp_path / "mix.wav", tone, rate)
    write_wav(tmp_path / "a.wav", tone, rate)
    write_wav(tmp_path / "silent.wav", np.zeros(rate), rate)
    out = tmp_path / "out"
    cases = [
        (["a.wav"], "at least 2; got 1"),
        (["a.wav", "silent.wav"], "silent.wav' is silent"),
    ]
    for train, message in cases:
        argv = ["separate", str(tmp_path / "mix.wav"), "--out", str(out), "--train"]
        with pytest.raises(SystemExit) as stop:
            main(argv + [str(tmp_path / name) for name in train])
        assert stop.value.code == 2
        assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.fixture
def no_work(monkeypatch):
    """Make reading a WAV file or separating fail the test: nothing may start."""

    def forbidden(*args, **kwargs):
        raise AssertionError("the command started working before it checked")

    monkeypatch.setattr(_cli_separate, "read_wav", forbidden)
    monkeypatch.setattr(_cli_separate, "separate_frames", forbidden)


def _tree(folder):
    """Every file under ``folder`` with its bytes."""
    return {
        os.path.relpath(os.path.join(root, name), folder): open(
            os.path.join(root, name), "rb"
        ).read()
        for root, _, names in os.walk(folder)
        for name in names
    }


@pytest.mark.parametrize(
    "case", ["mix-in-out", "train-in-out", "out-not-yet-made", "figure-is-mix"]
)
def test_cli_separate_refuses_to_overwrite_an_input(
    recordings, tmp_path, case, no_work
):
    """No output may be MIX.wav or a --train file, even through a path yet to exist."""
    folder = tmp_path / "d"
    folder.mkdir()
    mix, out, extra = folder / "source_1.wav", folder, []
    if case == "train-in-out":
        mix = recordings["mix"]
        extra = ["--train", str(recordings["a"]), str(folder / "source_2.wav")]
    elif case == "out-not-yet-made":
        # d/new does not exist, but d/new/.. is d once --out is created.
        out = folder / "new" / ".."
    elif case == "figure-is-mix":
        mix, out = folder / "mix.png", tmp_path / "out"
        extra = ["--figure", str(mix)]
    for path in [mix, *extra[2:]]:
        write_wav(path, np.full(4000, 0.25), RATE)
    before = _tree(tmp_path)

    if case == "figure-is-mix":
        match = r"^--figure would overwrite MIX\.wav '.*mix\.png' with the output '"
    elif case == "train-in-out":
        match = r"^--out would overwrite --train file '.*source_2\.wav' with the"
    else:
        match = r"^--out would overwrite MIX\.wav '.*source_1\.wav' with the output"
    with pytest.raises(CommandError, match=match):
        _run(_args([str(mix), "--out", str(out), *extra]))
    assert _tree(tmp_path) == before
    assert not (folder / "new").exists()


def test_cli_separate_refusal_to_overwrite_exits_with_status_2(tmp_path, capsys):
    """Separating d/source_1.wav into d is one line of error and status 2."""
    mix = tmp_path / "source_1.wav"
    write_wav(mix, np.full(4000, 0.25), RATE)
    before = mix.read_bytes()
    err = _error(capsys, [str(mix), "--out", str(tmp_path)])
    assert err.count("\n") == 1
    assert "--out would overwrite MIX.wav" in err
    assert mix.read_bytes() == before
    assert os.listdir(tmp_path) == ["source_1.wav"]


def _fail_second_write(monkeypatch):
    """Make the command's second WAV write fail as a full disk would."""
    written = []

    def write_wav_or_fail(path, *args, **kwargs):
        written.append(path)
        if len(written) == 2:
            raise OSError("disk full")
        write_wav(path, *args, **kwargs)

    monkeypatch.setattr(_cli_separate, "write_wav", write_wav_or_fail)


@pytest.mark.parametrize("failing", ["source_2.wav", "figure.png"])
def test_cli_separate_failed_write_keeps_no_output(
    recordings, tmp_path, monkeypatch, failing
):
    """When one output cannot be written, none of this run's outputs is kept."""
    out = tmp_path / "out"
    out.mkdir()
    # A stale set from an earlier run, with more sources, stays as it was.
    for name in ["source_1.wav", "source_3.wav"]:
        write_wav(out / name, np.full(100, 0.5), RATE)
    before = _tree(out)

    def savefig_fails(*args, **kwargs):
        raise OSError("disk full")

    if failing == "source_2.wav":
        _fail_second_write(monkeypatch)
    else:
        from matplotlib.figure import Figure

        monkeypatch.setattr(Figure, "savefig", savefig_fails)
    figure = tmp_path / "figure.png"
    argv = [str(recordings["mix"]), "--out", str(out), "--figure", str(figure)]
    match = rf"^cannot write '.*{failing}': disk full; no output of this run was kept"
    with pytest.raises(CommandError, match=match):
        _run(_args([*argv, *FAST]))
    assert _tree(out) == before
    assert sorted(os.listdir(tmp_path)) == ["a.wav", "b.wav", "mix.wav", "out"]


def test_cli_separate_failed_write_removes_the_folder_it_made(
    recordings, tmp_path, monkeypatch
):
    """A failed run leaves no --out folder behind that it created itself."""

    _fail_second_write(monkeypatch)
    out = tmp_path / "new" / "out"
    with pytest.raises(CommandError, match="source_2.wav': disk full"):
        _run(_args([str(recordings["mix"]), "--out", str(out), *FAST]))
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "header, match",
    [
        (
            (0, RATE),
            r"^MIX\.wav: '.*bad\.wav' is not a readable WAV file: its header gives "
            r"0 channels or a block size of 0 bytes\.$",
        ),
        (
            (1, 0),
            r"^MIX\.wav: '.*bad\.wav' is not a readable WAV file: its header gives "
            r"a sample rate of 0 Hz\.$",
        ),
    ],
    ids=["zero-channels", "zero-rate"],
)
def test_cli_separate_malformed_header_is_one_line(tmp_path, capsys, header, match):
    """A WAV header with 0 channels or a rate of 0 Hz is one error line, said once."""
    bad = tmp_path / "bad.wav"
    bad.write_bytes(raw_wav(*header))
    argv = [str(bad), "--out", str(tmp_path / "out")]
    with pytest.raises(CommandError, match=match):
        _run(_args(argv))
    err = _error(capsys, argv)
    assert err.count("\n") == 1
    assert err.count("is not a readable WAV file") == 1


def test_cli_separate_directory_as_mixture(tmp_path):
    """A folder given as MIX.wav is reported as a directory, not as missing."""
    folder = tmp_path / "folder.wav"
    folder.mkdir()
    match = r"^MIX\.wav: '.*folder\.wav' is a directory, not a WAV file\.$"
    with pytest.raises(CommandError, match=match):
        _run(_args([str(folder), "--out", str(tmp_path / "out")]))


@pytest.mark.parametrize(
    "option, where, match",
    [
        ("--out", "", r"^--out must name a folder; got ''\.$"),
        ("--out", "file/out", r"^--out '.*file/out': '.*file' is a file, not a folder"),
        (
            "--figure",
            "file/fig.png",
            r"^--figure '.*file/fig\.png': '.*file' is a file, not a folder\.$",
        ),
        (
            "--figure",
            "file/sub/fig.png",
            r"^--figure '.*file/sub/fig\.png': '.*file' is a file, not a folder\.$",
        ),
    ],
)
def test_cli_separate_output_locations_checked_up_front(
    tmp_path, option, where, match, no_work
):
    """An --out or --figure that cannot be written fails before any work."""
    (tmp_path / "file").write_text("a regular file\n")
    mix = tmp_path / "mix.wav"
    mix.write_bytes(raw_wav(1, RATE))
    path = str(tmp_path / where) if where else ""
    argv = [str(mix), "--out", str(tmp_path / "out")] + [option, path]
    with pytest.raises(CommandError, match=match):
        _run(_args(argv))


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--sources", "0"], "argument --sources: expected an integer >= 1; got 0"),
        (["--n-fft", "0"], "argument --n-fft: expected an integer >= 1; got 0"),
        (["--mask-power", "0"], "argument --mask-power: expected a number > 0; got 0"),
        (["--seed", "-1"], "argument --seed: expected 0 <= seed < 2**32, got -1"),
        (["--grouping", "x"], "argument --grouping: invalid choice: 'x'"),
        (["--beta", "kl"], "argument --beta: expected one of kullback-leibler"),
        (["--mask-power", "-1"], "argument --mask-power: expected a number > 0"),
        ([], "the following arguments are required: --out"),
    ],
)
def test_cli_separate_option_errors_are_one_line(argv, message, capsys):
    """argparse's errors are one line, like the command's, with status 2."""
    with pytest.raises(SystemExit) as info:
        _args(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"python -m sklearn_nmfx separate: error: {message}")
    assert err.count("\n") == 1


def test_cli_separate_n_fft_of_one_is_refused_up_front(tmp_path, no_work):
    """--n-fft 1 is refused by the option's name before any work."""
    argv = ["--out", str(tmp_path), "--n-fft", "1", "--hop-length", "1"]
    with pytest.raises(CommandError, match=r"^--n-fft must be at least 2 samples"):
        _run(_args(argv))


def test_cli_separate_help_says_mono_and_replaced(capsys):
    """The help says stereo input is mixed down and old outputs are replaced."""
    with pytest.raises(SystemExit):
        _args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "mixed down to mono" in text
    assert "Existing DIR/source_N.wav files are replaced" in text
