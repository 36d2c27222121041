"""The document search page (replaced by the search work)."""

urlpatterns: list = []
