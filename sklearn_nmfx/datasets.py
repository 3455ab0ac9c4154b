"""Generators of planted data, audio mixtures and a built-in text corpus."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

__all__ = []
