from django.http import HttpRequest

from .permissions import is_line_staff
from .roles import Role, user_roles


def roles(request: HttpRequest) -> dict:
    current = user_roles(request.user)
    return {
        "is_centre_staff": is_line_staff(request.user),
        "is_enterprise": Role.ENTERPRISE in current,
        "is_funder": Role.FUNDER in current,
    }
