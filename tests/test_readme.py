"""The README is the newcomer's map: every command of the CLI is in it."""

from __future__ import annotations

import argparse

from helpers import ROOT

from assistant.cli.main import build_parser


def test_every_cli_subcommand_is_in_the_readme():
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [name for name in sub.choices if f"python -m assistant {name}" not in readme]
    assert len(sub.choices) >= 10 and missing == []
