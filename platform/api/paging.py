"""Bounded lists on the API: ``?page=&per_page=`` in, the page's rows out, the next page in ``Link``."""

from __future__ import annotations

from flask import request, url_for

from konsey.usecases.base import Page


def answer(page: Page, endpoint: str, per_page: int, **values):
    """(rows, 200, headers) for flask-smorest: ``Link: <…>; rel="next"`` when another page follows."""
    headers = {}
    if page.more:
        view_args = {**(request.view_args or {}), **values}
        url = url_for(endpoint, **view_args, page=page.number + 1, per_page=per_page)
        headers["Link"] = f'<{url}>; rel="next"'
    return page.rows, 200, headers
