"""The accounts' part of REST API v1: ``ik`` and ``organisaties`` (routed by ``jeugdhulp.api``)."""
