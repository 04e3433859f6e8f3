"""What the phone-width browser tests share: a crawl of every page a browser can reach by links
and GET forms, and the two measures a phone needs (no sideways scrolling, legible chart text).

The crawl is breadth first from the pages given, in the browser itself, so that what it checks
is what a person sees: each same-site link is followed and each GET form sent once, filled in
as a person would (every empty box with a sample value, every choice as it stands or the first
real one). Each URL pattern, with each set of query parameter names, is visited at most
``per_route`` times; downloads (calendars, CSV, GeoJSON, images, PDFs) are not pages and are
left out.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve

PHONE = {"width": 390, "height": 844}
# Rendered chart text smaller than this (CSS pixels) is too small to read on a phone.
SMALLEST_CHART_TEXT = 11.5
# Pages slower than this (seconds) are listed in the report, for whoever wonders at a long run.
SLOW_PAGE = 5.0
NOT_PAGES = (".ics", ".csv", ".geojson", ".svg", ".json", ".png", ".pdf")
SKIPPED = ("/accounts/logout/", "/admin/logout/", "/static/", "/api/", "/postcodes/")
# The admin's delete confirmations list every related row: a force's takes minutes to draw.
ADMIN_DELETE = re.compile(r"^/admin/.*/delete/$")

# Every same-site link, and every GET form as a person would send it (``samples`` by box name).
PAGE_LINKS = """samples => {
  const sample = name => {
    const key = Object.keys(samples).find(k => name.toLowerCase().includes(k));
    return key ? samples[key] : samples[""];
  };
  const links = [...document.querySelectorAll("a[href]:not([download])")].map(a => a.href);
  const forms = [...document.querySelectorAll("form")]
    .filter(f => (f.getAttribute("method") || "get").toLowerCase() === "get")
    .map(f => {
      const data = new FormData(f);
      for (const box of f.querySelectorAll("input, textarea")) {
        const kind = (box.getAttribute("type") || "text").toLowerCase();
        if (box.name && !box.value && ["text", "search", "textarea"].includes(
            box.tagName === "TEXTAREA" ? "textarea" : kind)) {
          data.set(box.name, sample(box.name));
        }
      }
      for (const select of f.querySelectorAll("select")) {
        const real = [...select.options].find(o => o.value);
        if (select.name && !select.value && real) data.set(select.name, real.value);
      }
      return f.action.split("?")[0] + "?" + new URLSearchParams(data).toString();
    });
  return links.concat(forms);
}"""

# Rendered size of every piece of chart text on the page smaller than the limit: inline SVG
# (its font size times its scale on screen) and SVG images (read again and scaled the same).
SMALL_CHART_TEXT = """async limit => {
  const small = [];
  const shown = element => element.getClientRects().length > 0;
  for (const svg of document.querySelectorAll("svg")) {
    if (!shown(svg) || svg.closest(".leaflet-container")) continue;
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim() || !shown(text)) continue;
      const matrix = text.getScreenCTM();
      const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
      if (size < limit) small.push(`${size.toFixed(1)} px: ${text.textContent.trim()}`);
    }
  }
  for (const image of document.querySelectorAll("img")) {
    const source = image.currentSrc.split("?")[0];
    if (!source.endsWith(".svg") || !shown(image) || image.closest(".leaflet-container")) {
      continue;
    }
    const drawing = new DOMParser().parseFromString(
      await (await fetch(image.currentSrc)).text(), "image/svg+xml");
    const scale = image.getBoundingClientRect().width
      / parseFloat(drawing.documentElement.getAttribute("width"));
    for (const text of drawing.querySelectorAll("text")) {
      const size = parseFloat(text.getAttribute("font-size") || "16") * scale;
      if (text.textContent.trim() && size < limit) {
        small.push(`${size.toFixed(1)} px: ${text.textContent.trim()} (${source})`);
      }
    }
  }
  return small;
}"""

# What sticks out past the right edge of the screen, for the failure message.
WIDE_ELEMENTS = """() => {
  const edge = document.documentElement.clientWidth;
  return [...document.querySelectorAll("main *")]
    .filter(e => e.getBoundingClientRect().right > edge + 1)
    .slice(0, 4)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
}"""


@dataclass
class PhoneReport:
    pages: list[str] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)
    small_text: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)


def _route_key(url: str) -> tuple[str, frozenset[str]] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    route = match.route or match.view_name
    if parts.path.startswith("/admin/"):
        # The admin's lists take dozens of filter and sort parameters: one page of each kind.
        return (route, frozenset())
    names = frozenset(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    return (route, names)


@dataclass
class PhoneCrawl:
    """Visit every reachable page at phone width and measure each one."""

    page: Any
    origin: str
    samples: dict[str, str]
    per_route: int = 2
    skip: Callable[[str], bool] = lambda url: False
    report: PhoneReport = field(default_factory=PhoneReport)

    def run(self, start: Iterable[str]) -> PhoneReport:
        seen: set[str] = set()
        counts: dict[tuple[str, frozenset[str]], int] = {}
        queue: deque[str] = deque(self.origin + path for path in start)
        while queue:
            url = queue.popleft().split("#")[0]
            key = _route_key(url) if self._followed(url) else None
            if url in seen or key is None or counts.get(key, 0) >= self.per_route:
                continue
            seen.add(url)
            counts[key] = counts.get(key, 0) + 1
            queue.extend(self._visit(url))
        return self.report

    def _followed(self, url: str) -> bool:
        parts = urlsplit(url)
        return (
            url.startswith(self.origin)
            and not parts.path.endswith(NOT_PAGES)
            and not parts.path.startswith(SKIPPED)
            and "download" not in parts.path
            and not ADMIN_DELETE.match(parts.path)
            and not self.skip(url)
        )

    def _visit(self, url: str) -> list[str]:
        started = time.monotonic()
        response = self.page.goto(url)
        if time.monotonic() - started > SLOW_PAGE:
            self.report.slow.append(f"{url}: {time.monotonic() - started:.0f} s")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return []
        self.page.wait_for_load_state("load")
        self.report.pages.append(url)
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = self.page.evaluate(WIDE_ELEMENTS)
            self.report.too_wide.append(f"{url}: {width} px wide ({', '.join(wide)})")
        small = self.page.evaluate(SMALL_CHART_TEXT, SMALLEST_CHART_TEXT)
        if small:
            smallest = min(small, key=lambda line: float(line.split(" ", 1)[0]))
            self.report.small_text.append(f"{url}: {len(small)} pieces, smallest {smallest}")
        links: list[str] = self.page.evaluate(PAGE_LINKS, self.samples)
        return links
