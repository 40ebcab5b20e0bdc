"""Stateful commands (init, demo, import, export, serve, backup, restore). Being written."""
