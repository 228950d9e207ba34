"""Serve the built single-page app, with `index.html` for every client-side path."""

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.convertors import Convertor, register_url_convertor

logger = logging.getLogger(__name__)


class PagePathConvertor(Convertor):
    """Matches any path except those that the API routes handle.

    Leaving /api/, /ws/ and the API docs out of the page route means that a
    miss there gets the router's own answer: 404 for an unknown path, 405 for
    a GET on a POST-only endpoint.
    """

    regex = r"(?!(?:api|ws)(?:/|$)|docs(?:/|$)|openapi\.json$).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("page", PagePathConvertor())

MISSING_BUILD_PAGE = """<!doctype html><title>ANN Lab</title>
<p>The frontend has not been built. Run <code>make run</code>, or
<code>npm --prefix frontend run build</code>, then reload.</p>"""


# Copied into the build by frontend/vite.config.js from the swagger-ui-dist package.
SWAGGER_ASSETS_PATH = "/api-docs"


def mount_api_docs(app: FastAPI) -> None:
    """Serve the OpenAPI page at /docs with Swagger UI from the built frontend.

    FastAPI's own /docs loads Swagger UI from a CDN, which a classroom without
    internet access cannot reach.
    """

    @app.get("/docs", include_in_schema=False)
    async def read_api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{SWAGGER_ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url="data:,",
        )


def mount_frontend(app: FastAPI, frontend_dir: Path) -> None:
    """Serve `frontend_dir/assets` as static files and `index.html` for other paths."""
    index_file = frontend_dir / "index.html"
    assets_dir = frontend_dir / "assets"
    if assets_dir.is_dir():
        app.mount("/assets", StaticFiles(directory=assets_dir), name="assets")
    else:
        logger.warning("No built frontend in %s; pages show a build hint", frontend_dir)

    @app.get("/{path:page}", include_in_schema=False)
    async def serve_page(path: str):
        static_file = (frontend_dir / path).resolve()
        if (
            path
            and static_file.is_file()
            and static_file.is_relative_to(frontend_dir.resolve())
        ):
            return FileResponse(static_file)
        if index_file.is_file():
            return FileResponse(index_file)
        return HTMLResponse(MISSING_BUILD_PAGE, status_code=503)
