"""Planning: the optimisers (door-to-door walking routes now, tasking patrol plans in issue 15).

A pure package: it never imports Django, so it can be tested and benchmarked on plain data.
"""
