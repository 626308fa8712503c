"""The request monitor's part of REST API v1: requests, their events and the network KPIs
(routed by ``jeugdhulp.api``)."""
