"""Serve the built single-page app, with `index.html` for every client-side path."""

import logging
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

logger = logging.getLogger(__name__)

# Paths the server answers itself; a miss under them is a real 404, not a page.
SERVER_PREFIXES = ("api/", "ws/", "docs", "redoc", "openapi.json")

MISSING_BUILD_PAGE = """<!doctype html><title>ANN Lab</title>
<p>The frontend has not been built. Run <code>make run</code>, or
<code>npm --prefix frontend run build</code>, then reload.</p>"""


def mount_frontend(app: FastAPI, frontend_dir: Path) -> None:
    """Serve `frontend_dir/assets` as static files and `index.html` for other paths."""
    index_file = frontend_dir / "index.html"
    assets_dir = frontend_dir / "assets"
    if assets_dir.is_dir():
        app.mount("/assets", StaticFiles(directory=assets_dir), name="assets")
    else:
        logger.warning("No built frontend in %s; pages show a build hint", frontend_dir)

    @app.get("/{path:path}", include_in_schema=False)
    async def serve_page(path: str):
        if path.startswith(SERVER_PREFIXES):
            raise HTTPException(status_code=404, detail=f"Not found: /{path}")
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
