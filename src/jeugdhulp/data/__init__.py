"""Readers and loaders for the published input formats (pure: no Django)."""
