"""tunix-rt: a reasoning-trace workbench around Tunix."""

__version__ = "0.1.0"
