"""HTML → PDF with WeasyPrint, for every file people print or sign (forms, reports, registers, documents)."""

from __future__ import annotations

from typing import Any


def pdf_from_html(text: str) -> bytes:
    import weasyprint

    # Tagged PDF (structure tree, language): screen readers can read the forms.
    return weasyprint.HTML(string=text, base_url=None, url_fetcher=_data_only_fetcher()).write_pdf(pdf_tags=True)


def _data_only_fetcher() -> Any:
    """Only data: URIs: a template pasted by an administrator must not make the server fetch a URL or read
    a local file."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 68
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"Không tải tài nguyên ngoài khi in biểu mẫu: {url[:80]}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})
