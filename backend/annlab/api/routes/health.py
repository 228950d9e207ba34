"""Liveness check."""

from fastapi import APIRouter
from pydantic import BaseModel

from annlab import __version__

router = APIRouter(prefix="/api", tags=["health"])


class Health(BaseModel):
    status: str
    version: str


@router.get("/health", response_model=Health)
async def read_health() -> Health:
    """Report that the server is up, with its version."""
    return Health(status="ok", version=__version__)
