"""File and request sizes as people read them, in binary units.

The limits are set in binary units (``ARCHIVE_MAX_FILE_BYTES`` is 10 * 1024 * 1024), so in binary units they read as
the round numbers they were set to, "10 MiB" rather than "10.5 MB", and a rejected file's size in the same unit
compares with the limit at a glance. Every message that states a size uses this; the README and help texts write
sizes the same way.
"""

from django.template.defaultfilters import pluralize

UNITS = ("KiB", "MiB", "GiB", "TiB")


def format_size(size: int) -> str:
    """'900 bytes', '3.2 KiB', '10 MiB', '10.5 MiB': one decimal at most, none when it is zero."""
    if size < 1024:
        return f"{size} byte{pluralize(size)}"
    value, unit = size / 1024, 0
    while round(value, 1) >= 1024 and unit < len(UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{value:.1f}".removesuffix(".0") + " " + UNITS[unit]
