"""Subcommands of `zipin`: one module each, found by name (see tui.cli).

A module has NAME (the word typed), HELP (one Chinese line), add_arguments(parser) and
run(args) -> exit code. Only the module of the command typed is imported, to keep start-up fast.
"""
