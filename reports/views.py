"""Placeholder until the app's views land."""

from django.http import Http404, HttpRequest, HttpResponse


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
