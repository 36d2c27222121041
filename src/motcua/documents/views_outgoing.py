"""Outgoing documents, signatures, exchange and work files (pages)."""

urlpatterns: list = []
