"""Putting reference data into the database: from files (``jeugdhulp load``) or from frames
(the demo), one module per kind: ``areas``, ``population``, ``covariates``, ``sites``; what they
share in ``common``. Every load is one transaction (a file with an error loads nothing),
idempotent (loading the same data again changes nothing), and a new vintage of areas sits
beside the old.
"""
