from django.urls import path, register_converter

from hilfenetz.slips import views


class CodeConverter:
    """A slip's code in an address: letters and digits, with or without its dash."""

    regex = "[A-Za-z0-9-]{8,9}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "slipcode")

app_name = "slips"

urlpatterns = [
    path("zettel/", views.slip_list, name="list"),
    path("zettel/neu/", views.slip_create, name="create"),
    path("zettel/<id:pk>/", views.slip_detail, name="detail"),
    path("zettel/<id:pk>/drucken/", views.slip_print, name="print"),
    path("zettel/<id:pk>/zettel.pdf", views.slip_pdf, name="pdf"),
    path("zettel/<id:pk>/eintrag/", views.slip_add_listing, name="add_listing"),
    path("zettel/<id:pk>/widerrufen/", views.slip_revoke, name="revoke"),
    # the short address printed on the slip, and the pages of the person holding it
    path("z/", views.enter, name="enter"),
    path("z/meine/", views.home, name="home"),
    path("z/antwort/<id:pk>/", views.reply, name="reply"),
    path("z/ende/", views.leave, name="leave"),
    path("z/<slipcode:code>/", views.open_slip, name="open"),
]
