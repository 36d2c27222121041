"""Pages of the documents app under /van-ban/: incoming documents and registers, outgoing documents, work files
and search (each view module lists its own patterns)."""

from motcua.documents import views_incoming, views_outgoing, views_search

app_name = "documents"
urlpatterns = [*views_incoming.urlpatterns, *views_outgoing.urlpatterns, *views_search.urlpatterns]
