from django.http import Http404, HttpRequest, HttpResponse


def home(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


case_list = case_list_export = case_new = statistics = statistics_csv = case_detail = home
case_export = case_edit = case_add = portal = portal_csv = api_cases = api_case = home
