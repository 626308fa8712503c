from jeugdhulp.audit.context import Actor, acting_as


def client_ip(request) -> str | None:
    # Behind a reverse proxy REMOTE_ADDR is the proxy; the proxy must set X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Makes the requesting user the actor of every audit event written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        actor = Actor(
            user=user if authenticated else None,
            username=user.get_username() if authenticated else "",
            ip_address=client_ip(request),
            path=request.path[:300],
        )
        with acting_as(actor):
            return self.get_response(request)
