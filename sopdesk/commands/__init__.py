"""Subcommands of `sopdesk` that live outside cli.py (one module per group)."""
