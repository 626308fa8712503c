from jeugdhulp import __version__
from jeugdhulp.core.navigation import entries_for


def platform(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "jeugdhulp_version": __version__,
        "navigation": entries_for(user) if user is not None else [],
    }
