"""Demo requests for ``setup_portal --demo`` (filled in below)."""


def buat_demo() -> dict:
    return {}
