"""Who may write through the request API: the same permission layer as the screens
(``aanmeldingen.rules``), with the Dutch refusals the API answers with (403). Reading needs no
class of its own: what a user may not see is not in the queryset, so it answers 404."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from jeugdhulp.accounts.permissions import can


class MayRegister(BasePermission):
    message = "Enkel aanmelders en medewerkers van een voorziening melden aan."

    def has_permission(self, request, view) -> bool:
        return can(request.user, "aanmeldingen.add_aanmelding")


class MayAddEvent(BasePermission):
    message = "Enkel de aangesproken voorzieningen registreren gebeurtenissen."

    def has_object_permission(self, request, view, obj) -> bool:
        return can(request.user, "aanmeldingen.add_gebeurtenis", obj)
