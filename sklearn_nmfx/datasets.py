"""Generators of planted data, audio mixtures and a built-in text corpus."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_nmfx._datasets_audio import make_audio_mixture
from sklearn_nmfx._datasets_planted import make_planted_nmf
from sklearn_nmfx._datasets_text import load_stdlib_docstrings

__all__ = ["load_stdlib_docstrings", "make_audio_mixture", "make_planted_nmf"]
