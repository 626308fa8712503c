from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

# The API authenticates with its own tokens (and answers 401/403 itself); the language switch
# and static files must work on the login page.
_OPEN_PREFIXES = ("/api/", "/i18n/", "/static/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Login required everywhere except login, password reset, public docs and the API."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(_OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
