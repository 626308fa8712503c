from jeugdhulp.audit.client_ip import client_ip
from jeugdhulp.audit.context import RequestActor, acting_as


class AuditContextMiddleware:
    """Makes the requesting user the actor of every audit event written during the request:
    for every view, pages and API alike, whichever way the user authenticates (see
    ``RequestActor``). The address is the one ``client_ip`` trusts, the lock-out's too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(RequestActor(request, client_ip(request))):
            return self.get_response(request)
