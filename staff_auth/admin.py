"""Users in the admin, with the superuser's reset of someone's second factor (audited in their history)."""
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff_auth.services import second_factors_reset

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    actions = ["reset_second_factors"]

    @admin.action(
        description=_("Reset the second factor of the selected users (they set up a new one at their next sign-in)"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factors(self, request, queryset):
        removed = sum(second_factors_reset(user=user, by=request.user) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Second factor reset for %(users)d user (%(removed)d removed).",
                "Second factor reset for %(users)d users (%(removed)d removed).",
                len(queryset),
            )
            % {"users": len(queryset), "removed": removed},
            messages.SUCCESS,
        )

    def has_reset_second_factor_permission(self, request):
        """Only a superuser resets someone's second factor: it is the way around it for a lost device."""
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
