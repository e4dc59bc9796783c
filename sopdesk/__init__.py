"""sopdesk: a keyboard-driven terminal workbench for export sales reps."""

__version__ = "0.1.0"
