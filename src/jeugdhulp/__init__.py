"""jeugdhulp: planning instrument and request monitor for Flemish youth care."""

__version__ = "0.1.0"
