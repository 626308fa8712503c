"""The snapshot round (foto): data-request format, reader and validator (pure: no Django)."""
