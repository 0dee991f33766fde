"""Every URL pattern the project resolves, with what a test needs to request it.

Patterns come from the live resolver, so routes other apps add are covered
without editing this file. A pattern with arguments is requested when every
argument has a provider (``KWARG_PROVIDERS`` for names used across apps,
``URL_PROVIDERS`` for one URL name); others are skipped with the reason.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Route:
    pattern: str
    name: str | None
    callback: Callable
    kwarg_names: tuple[str, ...]
    allowed_methods: frozenset[str] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.name or self.pattern


def _walk(resolver: URLResolver, prefix: str, namespace: str | None, outer=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            # Arguments of an including prefix (e.g. ``api/<version>/``) are the
            # leaf's arguments too.
            names = outer + tuple(entry.pattern.regex.groupindex)
            yield from _walk(entry, prefix + str(entry.pattern), ns, names)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield prefix + str(entry.pattern), name, entry, outer


def _closure_methods(func) -> frozenset[str] | None:
    """Methods allowed by ``require_http_methods`` somewhere in a decorator chain.

    Django's decorator keeps the list only in its closure; we look there rather
    than asking every app to declare methods twice.
    """
    seen = 0
    while func is not None and seen < 10:
        # Only Django's own decorator: other decorators (e.g. rate limits) keep
        # method lists in their closures too, meaning something else.
        code = getattr(func, "__code__", None)
        is_require = getattr(code, "co_qualname", "").startswith("require_http_methods.")
        for cell in (getattr(func, "__closure__", None) or ()) if is_require else ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
                and set(value) <= {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
            ):
                return frozenset(v.lower() for v in value)
        func = getattr(func, "__wrapped__", None)
        seen += 1
    return None


def _admin_site_methods(callback) -> frozenset[str] | None:
    """The admin wraps views in ``admin_site.admin_view`` lazily, at request
    time, so the wrapper is not in the callback's chain: ask its site."""
    site = getattr(callback, "admin_site", None)
    if site is None:
        site = getattr(getattr(callback, "model_admin", None), "admin_site", None)
    methods = getattr(site, "http_methods", None)
    return frozenset(m.lower() for m in methods) if methods else None


def allowed_methods(callback) -> frozenset[str] | None:
    """What the view itself declares; ``None`` when it declares nothing."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None)
    if actions:  # DRF viewset route: {"get": "list", "post": "create"}
        names = getattr(view_class, "http_method_names", None) or HTTP_METHODS
        return frozenset(m for m in actions if m in names)
    if view_class is not None and inspect.isclass(view_class):
        return frozenset(
            m for m in HTTP_METHODS if m in view_class.http_method_names and hasattr(view_class, m)
        )
    return _closure_methods(callback) or _admin_site_methods(callback)


def project_routes() -> list[Route]:
    routes = []
    seen = set()
    for pattern, name, entry, outer in _walk(get_resolver(), "", None):
        key = (pattern, name)
        if key in seen:
            continue
        seen.add(key)
        kwarg_names = tuple(dict.fromkeys(outer + tuple(entry.pattern.regex.groupindex)))
        routes.append(
            Route(
                pattern=pattern,
                name=name,
                callback=entry.callback,
                kwarg_names=kwarg_names,
                allowed_methods=allowed_methods(entry.callback),
            )
        )
    return routes
