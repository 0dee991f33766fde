from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin, with a site that demands a verified second factor from staff."""

    default_site = "portal.admin_site.PortalAdminSite"
