from django.http import HttpRequest

from .roles import Role, user_roles


def roles(request: HttpRequest) -> dict:
    current = user_roles(request.user)
    return {
        "is_centre_staff": Role.STAFF in current,
        "is_enterprise": Role.ENTERPRISE in current,
        "is_funder": Role.FUNDER in current,
    }
