"""HTML from the Jinja2 templates (package data in ``mfa/report/templates/``, autoescaped) and
the PDF from that HTML with WeasyPrint.

The HTML is one self-contained file: the stylesheet, the figures (SVG as ``data:`` URIs) and
plotly's JavaScript are inline, and a Content-Security-Policy forbids every network request.
The PDF is rendered from the same template without the interactive figures.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .blocks import Figure, Section


def environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("mfa.report", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def _figures(sections: Sequence[Section]) -> list[Figure]:
    return [b for s in sections for b in s.blocks if isinstance(b, Figure)]


def render_html(sections: Sequence[Section], context: dict[str, Any], *,
                interactive: bool) -> str:
    """The report as HTML; ``interactive`` adds the plotly figures and their library."""
    figures = _figures(sections)
    # the HTML shows the SVG; the PDF (not interactive) the PNG: WeasyPrint takes seconds to
    # lay out each SVG's text outlines, and a 200 dpi image prints as well
    images = {f.id: ("data:image/svg+xml;base64," + base64.b64encode(
        f.svg.encode("utf-8")).decode("ascii")) if interactive or not f.png else
        "data:image/png;base64," + base64.b64encode(f.png).decode("ascii") for f in figures}
    specs = {f.id: Markup(f.plotly) for f in figures if f.plotly}
    plotly_js = ""
    if interactive and specs:
        from plotly.offline import get_plotlyjs

        plotly_js = Markup(get_plotlyjs())
    template = environment().get_template("report.html.j2")
    return str(template.render(sections=sections, images=images, specs=specs,
                               plotly_js=plotly_js, interactive=interactive, **context))


def render_pdf(html: str, path: Path) -> None:
    """Write ``html`` as a PDF at ``path`` (no resource is fetched: everything is inline)."""
    from ..errors import ParkFlowError

    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except OSError as error:  # WeasyPrint's system libraries (Pango) are missing
        raise ParkFlowError.single("report.pdf", "", f"WeasyPrint cannot start: {error}",
                                   "install Pango: apt-get install libpango-1.0-0 "
                                   "libpangoft2-1.0-0 (README, Quick start)") from None

    only_inline = URLFetcher(allowed_protocols=["data"], fail_on_errors=True)
    weasyprint.HTML(string=html, url_fetcher=only_inline).write_pdf(str(path))
