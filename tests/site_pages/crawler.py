"""A crawler for Django's test client: from one page, every same-site link and GET form.

It follows ``<a href>``, ``<img src>``, ``<link rel="alternate">`` and the ``data-*`` attributes
that hold a site path (the map's GeoJSON), and submits every GET form once with sample values.
Each page is fetched once. To keep the run bounded on a site with thousands of rows, at most
``per_route`` addresses are fetched for each URL pattern without a query string, and as many
with one (the first found, breadth first), and at most ``max_pages`` in all; what was left out
is counted.

A response of 500 or more is a failure, kept with the address, the page that linked to it and
the server's traceback (the client does not raise it, so the crawl goes on).
"""

from __future__ import annotations

import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Never followed: signing out ends the crawl's session, and static files are not pages.
SKIPPED_PREFIXES = ("/accounts/logout/", "/static/", "/admin/logout/")
_PATH_ATTRIBUTES = ("href", "src", "action")


@dataclass
class FormField:
    name: str
    kind: str  # text, hidden, select, radio, checkbox, submit, textarea...
    value: str
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class GetForm:
    action: str
    fields: list[FormField] = field(default_factory=list)


class _PageParser(HTMLParser):
    """The links and GET forms of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[GetForm] = []
        self._form: GetForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._collect_links(tag, values)
        if tag == "form":
            method = values.get("method", "get").lower()
            self._form = GetForm(action=values.get("action", "")) if method == "get" else None
        elif self._form is not None:
            self._form_field(tag, values)

    def _collect_links(self, tag: str, values: dict[str, str]) -> None:
        if tag == "a" or tag == "img" or (tag == "link" and values.get("rel") == "alternate"):
            for name in ("href", "src"):
                if values.get(name):
                    self.links.append(values[name])
        for name, value in values.items():
            if name.startswith("data-") and value.startswith("/") and not value.startswith("//"):
                self.links.append(value)

    def _form_field(self, tag: str, values: dict[str, str]) -> None:
        assert self._form is not None
        name = values.get("name", "")
        if tag == "input" and name:
            kind = values.get("type", "text").lower()
            checked = "checked" in values
            self._form.fields.append(FormField(name, kind, values.get("value", ""), checked))
        elif tag == "select" and name:
            self._select = FormField(name, "select", "")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = values.get("value", "")
            self._select.options.append(value)
            if "selected" in values:
                self._select.value = value
                self._select.checked = True
        elif tag == "textarea" and name:
            self._textarea = FormField(name, "textarea", "")
            self._form.fields.append(self._textarea)
        elif tag == "button" and name:
            self._form.fields.append(FormField(name, "submit", values.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


SampleValue = Callable[[FormField], str]


def form_query(form: GetForm, sample: SampleValue) -> list[tuple[str, str]]:
    """What a person who fills in every empty box with ``sample`` and keeps every choice as
    it is (or takes the first real one) would send."""
    pairs: list[tuple[str, str]] = []
    radios_done: set[str] = set()
    radios = [f for f in form.fields if f.kind == "radio"]
    for item in form.fields:
        if item.kind in {"submit", "button", "reset", "image", "file"}:
            continue
        if item.kind == "radio":
            if item.name not in radios_done:
                group = [r for r in radios if r.name == item.name]
                chosen = next((r for r in group if r.checked), group[0])
                pairs.append((item.name, chosen.value))
                radios_done.add(item.name)
        elif item.kind == "checkbox":
            if item.checked:
                pairs.append((item.name, item.value or "on"))
        elif item.kind == "select":
            real = [option for option in item.options if option]
            value = item.value if item.checked else (real[0] if real else "")
            pairs.append((item.name, value))
        elif item.kind == "hidden" or item.value:
            pairs.append((item.name, item.value))
        else:
            pairs.append((item.name, sample(item)))
    return pairs


@dataclass(frozen=True)
class ServerError:
    url: str
    status: int
    found_on: str
    traceback: str

    def __str__(self) -> str:
        return f"{self.status} {self.url} (linked from {self.found_on})\n{self.traceback}"


@dataclass
class CrawlReport:
    pages: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[ServerError] = field(default_factory=list)
    left_out: int = 0
    forms_sent: int = 0
    seconds_by_route: dict[str, float] = field(default_factory=dict)
    pages_by_route: dict[str, int] = field(default_factory=dict)
    names_reached: set[str] = field(default_factory=set)

    def summary(self, who: str) -> str:
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        return (
            f"crawl as {who}: {self.pages} pages ({counts}), {self.forms_sent} GET forms sent, "
            f"{self.left_out} more addresses left out by the caps, "
            f"{len(self.errors)} server errors"
        )

    def slowest(self, count: int = 5) -> str:
        ranked = sorted(self.seconds_by_route.items(), key=lambda item: -item[1])[:count]
        return "; ".join(
            f"{route} {seconds:.1f} s for {self.pages_by_route[route]}" for route, seconds in ranked
        )


def _route_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return "(no route)"
    return match.route or match.view_name


def _name_of(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return "(no route)"


class Crawler:
    """Breadth-first over the site as ``client`` sees it."""

    def __init__(
        self,
        client: Client,
        *,
        sample: SampleValue,
        per_route: int = 3,
        max_pages: int = 1500,
        host: str = "testserver",
    ) -> None:
        self.client = client
        self.sample = sample
        self.per_route = per_route
        self.max_pages = max_pages
        self.hosts = {host, ""}
        self.report = CrawlReport()
        self._seen: set[str] = set()
        self._per_key: dict[tuple[str, bool], int] = {}
        self._queue: deque[tuple[str, str]] = deque()
        self._form_urls: set[str] = set()

    def run(self, start: Iterable[str] = ("/",)) -> CrawlReport:
        for url in start:
            self._offer(url, found_on="(start)")
        while self._queue and self.report.pages < self.max_pages:
            url, found_on = self._queue.popleft()
            self._visit(url, found_on)
        self.report.left_out += len(self._queue)
        return self.report

    def _same_site_path(self, href: str, base: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        if href.startswith("webcal://"):
            href = "http://" + href.removeprefix("webcal://")
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in {"", "http", "https"} or parts.hostname not in self.hosts | {None}:
            return None
        if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _offer(self, url: str, *, found_on: str) -> None:
        if url in self._seen:
            return
        self._seen.add(url)
        parts = urlsplit(url)
        key = (_route_of(parts.path), bool(parts.query))
        if self._per_key.get(key, 0) >= self.per_route:
            self.report.left_out += 1
            return
        self._per_key[key] = self._per_key.get(key, 0) + 1
        self._queue.append((url, found_on))

    def _visit(self, url: str, found_on: str) -> None:
        started = time.perf_counter()
        response = self.client.get(url)
        route = _route_of(urlsplit(url).path)
        spent = self.report.seconds_by_route.get(route, 0.0) + time.perf_counter() - started
        self.report.seconds_by_route[route] = spent
        self.report.pages_by_route[route] = self.report.pages_by_route.get(route, 0) + 1
        status = response.status_code
        if status < 400:
            self.report.names_reached.add(_name_of(urlsplit(url).path))
        self.report.pages += 1
        self.report.forms_sent += url in self._form_urls
        self.report.statuses[status] = self.report.statuses.get(status, 0) + 1
        if status >= 500:
            self.report.errors.append(ServerError(url, status, found_on, _traceback(response)))
            return
        if status in {301, 302, 303, 307, 308}:
            target = self._same_site_path(response.headers.get("Location", ""), url)
            if target is not None:
                self._offer(target, found_on=url)
            return
        if "text/html" not in response.headers.get("Content-Type", ""):
            return
        self._follow(url, response.content.decode(response.charset or "utf-8", "replace"))

    def _follow(self, url: str, html: str) -> None:
        parser = _PageParser()
        parser.feed(html)
        for href in parser.links:
            path = self._same_site_path(href, url)
            if path is not None:
                self._offer(path, found_on=url)
        for form in parser.forms:
            action = self._same_site_path(form.action or url, url)
            if action is None:
                continue
            target = f"{urlsplit(action).path}?{urlencode(form_query(form, self.sample))}"
            self._form_urls.add(target)
            self._offer(target, found_on=url)


def _traceback(response: object) -> str:
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return "(no exception: the view answered with this status itself)"
    return "".join(traceback.format_exception(*exc_info))
