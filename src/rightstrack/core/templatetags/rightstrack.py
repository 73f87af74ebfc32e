from django import template

from rightstrack.core import dates

register = template.Library()

# Dates for people: `{% load rightstrack %}{{ value|day }}`, `{{ value|moment }}` (see core/dates.py).
register.filter("day", dates.day)
register.filter("moment", dates.moment)
register.filter("month", dates.month)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current URL's query string with `page` replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
