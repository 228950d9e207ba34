"""The FastAPI application: lesson routers, start-up and shutdown, the built SPA."""

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from types import ModuleType

from fastapi import FastAPI

from annlab import __version__
from annlab.api import spa
from annlab.api.errors import install_error_handlers
from annlab.api.routes import (
    backprop,
    biggan,
    gan,
    gradient_descent,
    health,
    perceptron,
)
from annlab.core.data_folder import (
    TEACHER_TOKEN_FILE_NAME,
    DataFolderLock,
    load_or_create_teacher_token,
)
from annlab.core.settings import Settings

logger = logging.getLogger(__name__)

# Each module has a `router`; a module that owns resources (worker processes,
# run queues) also has `lifespan(app)`, an async context manager.
ROUTE_MODULES: list[ModuleType] = [
    health,
    perceptron,
    backprop,
    gradient_descent,
    gan,
    biggan,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for `settings` (read from the environment if omitted)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        data_lock = DataFolderLock(settings.data_dir)
        data_lock.acquire()
        try:
            if not settings.teacher_token:
                settings.teacher_token, is_new = load_or_create_teacher_token(
                    settings.data_dir
                )
                logger.warning(
                    "Teacher token (%s %s; set ANNLAB_TEACHER_TOKEN to choose one): %s",
                    "new, saved in" if is_new else "from",
                    settings.data_dir / TEACHER_TOKEN_FILE_NAME,
                    settings.teacher_token,
                )
            logger.info(
                "ANN Lab %s starting, data folder %s", __version__, settings.data_dir
            )
            async with AsyncExitStack() as stack:
                for module in ROUTE_MODULES:
                    module_lifespan = getattr(module, "lifespan", None)
                    if module_lifespan is not None:
                        await stack.enter_async_context(module_lifespan(app))
                yield
        finally:
            data_lock.release()
        logger.info("ANN Lab stopped")

    app = FastAPI(
        title="ANN Lab",
        version=__version__,
        description="Simulations of how neural networks learn, as REST and "
        "WebSocket streams.",
        lifespan=lifespan,
        # /docs is served by spa.mount_api_docs with local Swagger UI files.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in ROUTE_MODULES:
        app.include_router(module.router)
    spa.mount_api_docs(app)
    spa.mount_frontend(app, settings.frontend_dir)
    return app
