from django.shortcuts import render

from jeugdhulp.accounts.models import Membership, MembershipStatus


def home(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .exclude(status=MembershipStatus.GEWEIGERD)
        .select_related("organisatie")
        .order_by("organisatie__naam", "rol")
    )
    return render(request, "core/home.html", {"memberships": memberships})
