"""Pagination shared by list pages and the API so both count and slice the same way."""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


@dataclass
class PageResult:
    page: object
    paginator: Paginator

    @property
    def object_list(self):
        return self.page.object_list


def paginate(request, queryset, per_page: int = 20) -> PageResult:
    paginator = Paginator(queryset, per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return PageResult(page=page, paginator=paginator)
