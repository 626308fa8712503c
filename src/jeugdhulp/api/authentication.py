"""API authentication: django-rest-knox's tokens under the header FORMATS.md fixes,
``Authorization: Token KEY``.

knox stores a SHA-512 digest of each token and the first 15 characters as a look-up key (the
``kenmerk`` that ``jeugdhulp token --list`` shows), never the token itself; every token has an
expiry (``JEUGDHULP_API_TOKEN_DAYS``) and an expired one is deleted when it is presented. Tokens
are revoked by ``jeugdhulp.api.signals`` when the password changes, the user is deactivated or
loses every role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        # knox decodes the header as UTF-8 without a guard: bytes that are not UTF-8 would raise
        # (a server error) instead of answering 401.
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Ongeldige token.")) from None
        return super().authenticate_credentials(token)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme, named and described as before knox (``tokenAuth``)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
