"""Admin pages of records kept as they happened: shown, never added, edited or deleted by hand."""


class ReadOnlyAdminMixin:
    """Put before ModelAdmin or an inline whose rows only their app's services write (audit, mail, results…).

    `obj=None` on every hook, so that one mixin serves a ModelAdmin (has_add_permission(request)) and an
    inline (has_add_permission(request, obj)) alike.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
