from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

# The API authenticates with its own tokens (and answers 401/403 itself); the language switch
# and static files must work on the login page.
_OPEN_PREFIXES = ("/api/", "/i18n/", "/static/")
NO_STORE = "no-store, private"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Login required everywhere except login, password reset, public docs and the API."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(_OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every answer to a signed-in user and on every API
    answer: pages, JSON and exports may hold decrypted contact details, and no browser cache,
    proxy or shared computer may keep them.

    A view that sets its own ``Cache-Control`` keeps it (only the map's area outlines do: public
    reference geometry, private, for a day). Static files never get here: WhiteNoise answers
    them earlier in the chain, with its own caching headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or request.path.startswith("/api/")) and not response.has_header(
            "Cache-Control"
        ):
            response["Cache-Control"] = NO_STORE
        return response
