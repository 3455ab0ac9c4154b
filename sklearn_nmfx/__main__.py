"""Command line: ``python -m sklearn_nmfx [tour | separate ...]``."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys

from sklearn_nmfx import _cli_separate
from sklearn_nmfx._tour import run_tour

# The tour's steps, in order; each names a step of ``run_tour``.
TOUR_STEPS = ["munmf", "kmeans", "deep", "separate"]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_nmfx",
        description=(
            "Non-negative matrix factorisation for scikit-learn. With no "
            "command, runs the tour: every estimator on built-in data, "
            "compared with scikit-learn, with figures saved to files."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    tour = commands.add_parser(
        "tour", help="run the tour on built-in data (the default command)"
    )
    tour.add_argument(
        "--out",
        default="nmfx_output",
        help="folder for the figures and sounds (default: %(default)s)",
    )
    tour.add_argument(
        "--steps",
        nargs="+",
        choices=TOUR_STEPS,
        default=TOUR_STEPS,
        help="which steps to run (default: all)",
    )
    _cli_separate.add_parser(commands)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "tour"):
        out = getattr(args, "out", "nmfx_output")
        steps = getattr(args, "steps", TOUR_STEPS)
        run_tour(out, steps)
        return 0
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
