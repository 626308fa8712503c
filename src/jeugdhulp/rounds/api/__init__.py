"""The rounds' part of REST API v1: delivering a snapshot file (routed by ``jeugdhulp.api``)."""
