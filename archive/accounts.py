"""Who analysts are: non-staff accounts that staff create in the admin, members of the "Analysts" group.

Reading stays open to everyone; an analyst may also save result-set snapshots (``archive.snapshots``). Staff may do
whatever analysts may. The group is made by migration 0010; ``analysts_group`` makes it again if it was removed.
"""

from django.contrib.auth.models import Group

ANALYSTS = "Analysts"


def analysts_group() -> Group:
    return Group.objects.get_or_create(name=ANALYSTS)[0]


def is_analyst(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.groups.filter(name=ANALYSTS).exists()
