from django import template

from kinerja.dashboards.figures import SYMBOLS

register = template.Library()


@register.filter
def simbol(standing) -> str:
    """The symbol that tells a standing in black-and-white print (✓ ≈ ✗ N/A –)."""
    return SYMBOLS.get(standing, "")
