"""Jinja2 for the pages: the web templates first, then the library's own report templates.

The web folder has its own ``base.html.j2``, so a library template that extends ``base.html.j2`` (the study view,
the answer to a question) renders inside the site's layout unchanged: the same content as ``--format html``, with
the site's header, navigation and stylesheet. Autoescaping is on for every template: user text is never markup.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote, urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel

from skinevidence import __version__
from skinevidence.render.jinja import answer_context
from skinevidence.render.jinja import environment as library_environment

NAV = [("/", "Search", "home"), ("/compare", "Compare", "compare"), ("/check", "Check claims", "check"),
       ("/audit", "Audit", "audit"), ("/product", "Product check", "product"),
       ("/method", "Method", "method")]


@cache
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([PackageLoader("skinevidence.web", "templates"),
                             PackageLoader("skinevidence.render", "templates")]),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    library = library_environment()
    for name in ("cell", "weeks", "label", "nr", "designs", "direction", "design"):
        env.filters[name] = library.filters[name]
    env.filters["slug"] = lambda value: str(value).replace(" ", "-")
    env.filters["urlquote"] = lambda value: quote(str(value), safe="")
    env.globals.update(version=__version__, nav=NAV, urlencode=urlencode)
    return env


def render(template: str, *, page: str = "", q: str = "", **context) -> bytes:
    """One page as UTF-8 bytes. ``page`` marks the current navigation item; ``q`` refills the header search."""
    return environment().get_template(template).render(page=page, q=q, **context).encode("utf-8")


def render_answer(template: str, answer: BaseModel, *, page: str = "", q: str = "", **context) -> bytes:
    return render(template, page=page, q=q, **answer_context(answer), **context)
