"""API tokens end with the trust they stood for: a password change, a deactivation or losing
every role revokes all of a user's tokens. The receivers live here (not in accounts), so the
accounts app knows nothing of the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from jeugdhulp.accounts.models import Membership, MembershipStatus
from jeugdhulp.api import tokens

_REVOKE = "_revoke_api_tokens"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-tokens-user-changing")
def _note_password_or_activity_change(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login at every login: nothing that matters here
    before = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    changed = before["password"] != instance.password
    deactivated = before["is_active"] and not instance.is_active
    setattr(instance, _REVOKE, changed or deactivated)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-tokens-user-changed")
def _revoke_after_password_or_activity_change(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, _REVOKE, False):
        return
    setattr(instance, _REVOKE, False)
    tokens.revoke(instance)


@receiver(post_save, sender=Membership, dispatch_uid="api-tokens-role-refused")
@receiver(post_delete, sender=Membership, dispatch_uid="api-tokens-last-role")
def _revoke_after_last_role(sender, instance, raw=False, **kwargs):
    """Only active memberships count (accounts.permissions.scope_of): a user whose last active
    role is deleted, or refused, keeps no token."""
    if raw:
        return
    user_id = instance.user_id
    if not Membership.objects.filter(user_id=user_id, status=MembershipStatus.ACTIEF).exists():
        user = get_user_model()._base_manager.filter(pk=user_id).first()
        if user is not None:
            tokens.revoke(user)
