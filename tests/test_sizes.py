"""Sizes in messages read in binary units, so a limit reads as the round number it was set to."""

import pytest

from archive.sizes import format_size


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KiB"),
        (3309, "3.2 KiB"),
        (10 * 1024 * 1024, "10 MiB"),
        (10 * 1024 * 1024 + 512 * 1024, "10.5 MiB"),
        (1024 * 1024 - 1, "1 MiB"),
        (10 * 1024**3, "10 GiB"),
    ],
)
def test_a_size_reads_in_the_largest_binary_unit_with_one_decimal_at_most(size, shown):
    assert format_size(size) == shown


def test_the_default_file_limit_reads_as_set(settings):
    assert format_size(settings.ARCHIVE_MAX_FILE_BYTES) == "10 MiB"
