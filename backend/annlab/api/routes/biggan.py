"""The BigGAN lesson: labels to ImageNet classes, and images from the BigGAN worker."""

import base64
import logging
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from annlab.engines.biggan.client import ModelNotReady, WorkerFailed, WorkerUnavailable
from annlab.engines.biggan.resolver import NotACandidateError, Resolution
from annlab.engines.biggan.service import BigGANService, DrawResult, create_service
from annlab.schemas.biggan import (
    MAX_COUNT,
    MAX_SEED,
    ClassListResponse,
    ImageModel,
    InterpolateRequest,
    InterpolateResponse,
    RandomLabelResponse,
    ResolutionModel,
    ResolveBatchRequest,
    ResolveBatchResponse,
    ResolveRequest,
    SamplesRequest,
    SamplesResponse,
    StatusResponse,
    Timings,
)

logger = logging.getLogger(__name__)

router = APIRouter(tags=["biggan"])

ERROR_RESPONSES = {
    404: {"description": "The label matches no class; `detail` has suggestions."},
    503: {
        "description": "The worker is down or its model is loading or not available."
    },
}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the local worker process, unless a remote worker is set, and stop it."""
    settings = app.state.settings
    service = create_service(
        model=settings.biggan_model,
        cache_dir=settings.data_dir / "biggan",
        nltk_data_dir=settings.nltk_data_dir,
        worker_url=settings.biggan_worker_url,
        worker_token=settings.biggan_worker_token,
        device=settings.biggan_device,
        max_batch=settings.biggan_max_batch,
        max_wait_ms=settings.biggan_max_wait_ms,
    )
    app.state.biggan = service
    if settings.biggan_autostart:
        service.start()
    try:
        yield
    finally:
        await service.close()


def get_service(request: Request) -> BigGANService:
    return request.app.state.biggan


def to_model(service: BigGANService, resolution: Resolution) -> ResolutionModel:
    model = ResolutionModel.model_validate(resolution, from_attributes=True)
    if resolution.index is not None:
        model.gloss = service.catalog[resolution.index].gloss
    return model


def require_found(service: BigGANService, resolution: Resolution) -> ResolutionModel:
    """Return the resolution as a model, or raise 404 with message and suggestions."""
    model = to_model(service, resolution)
    if not resolution.found:
        raise HTTPException(
            404,
            detail={"message": resolution.message, "resolution": model.model_dump()},
        )
    return model


@contextmanager
def worker_errors() -> Iterator[None]:
    """Turn worker failures into 503 (down, loading, no model) or 502 (other errors)."""
    try:
        yield
    except ModelNotReady as error:
        detail = {
            "message": str(error),
            "state": error.state,
            "stage": error.stage,
            "progress": error.progress,
            "setting": "ANNLAB_BIGGAN_MODEL",
        }
        raise HTTPException(503, detail=detail) from error
    except WorkerUnavailable as error:
        logger.warning("BigGAN request failed: %s", error)
        raise HTTPException(
            503, detail={"message": str(error), "state": "down"}
        ) from error
    except WorkerFailed as error:
        logger.error("BigGAN request failed: %s", error)
        raise HTTPException(502, detail={"message": str(error)}) from error


def timings(started: float, resolved: float, result: DrawResult) -> Timings:
    return Timings(
        resolve_ms=(resolved - started) * 1000,
        worker_ms=result.worker_ms,
        queue_ms=result.queue_ms,
        forward_ms=result.forward_ms,
        total_ms=(time.perf_counter() - started) * 1000,
        batch_sizes=result.batch_sizes,
    )


def new_seed() -> int:
    """Draw a seed for a request without one; image i of a request uses seed + i."""
    return secrets.randbelow(MAX_SEED - MAX_COUNT)


def wants_png(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "image/png" in accept and "application/json" not in accept


@router.get("/api/biggan/status", response_model=StatusResponse)
async def read_status(request: Request) -> StatusResponse:
    """Worker reachability, model loading progress, device, queue and WordNet state."""
    return StatusResponse.model_validate(await get_service(request).status())


@router.get("/api/biggan/classes", response_model=ClassListResponse)
async def read_classes(request: Request) -> ClassListResponse:
    """List the 1000 ImageNet classes: names, synonyms, WordNet ids and glosses."""
    classes = get_service(request).catalog.classes
    return ClassListResponse(
        classes=[
            {
                "index": c.index,
                "name": c.name,
                "synonyms": list(c.synonyms),
                "wnid": c.wnid,
                "gloss": c.gloss,
            }
            for c in classes
        ]
    )


@router.post(
    "/api/biggan/resolve", response_model=ResolutionModel, responses=ERROR_RESPONSES
)
async def resolve_label(params: ResolveRequest, request: Request) -> ResolutionModel:
    """Turn a label into a class: index, name, method, WordNet path and candidates."""
    service = get_service(request)
    try:
        resolution = await service.resolve(params.label, params.seed, params.candidate)
    except NotACandidateError as error:
        # The shared 422 handler formats this like any other invalid field.
        raise RequestValidationError(
            [
                {
                    "type": "not_a_candidate",
                    "loc": ("body", "candidate"),
                    "msg": str(error),
                    "input": error.candidate,
                }
            ]
        ) from error
    return require_found(service, resolution)


@router.post("/api/biggan/resolve/batch", response_model=ResolveBatchResponse)
async def resolve_labels(
    params: ResolveBatchRequest, request: Request
) -> ResolveBatchResponse:
    """Resolve several labels; each gets its own result, found or not."""
    service = get_service(request)
    results = await service.resolve_many(params.labels, params.seed)
    resolver = await service.resolver()
    return ResolveBatchResponse(
        results=[to_model(service, result) for result in results],
        wordnet=resolver.wordnet_available,
    )


@router.get("/api/biggan/random-label", response_model=RandomLabelResponse)
async def read_random_label(
    request: Request, seed: int | None = Query(None, ge=0, le=MAX_SEED)
) -> RandomLabelResponse:
    """Pick one of the 1000 classes with a seeded generator (seed drawn if unset)."""
    seed = seed if seed is not None else new_seed()
    service = get_service(request)
    return RandomLabelResponse(
        seed=seed, resolution=to_model(service, service.random_class(seed))
    )


@router.post(
    "/api/biggan/samples",
    response_model=SamplesResponse,
    responses={**ERROR_RESPONSES, 200: {"content": {"image/png": {}}}},
)
async def create_samples(params: SamplesRequest, request: Request):
    """Draw `count` images of a class, or one PNG for `Accept: image/png`."""
    png = wants_png(request)
    if png and params.count != 1:
        raise HTTPException(
            406,
            detail={
                "message": "image/png holds one image: set count "
                f"to 1 or accept application/json, got count {params.count}."
            },
        )
    service = get_service(request)
    started = time.perf_counter()
    seed = params.seed if params.seed is not None else new_seed()
    resolution = require_found(
        service, await service.resolve_target(params.label, params.class_index, seed)
    )
    resolved = time.perf_counter()
    with worker_errors():
        result = await service.sample(
            resolution.index, seed, params.count, params.truncation
        )
    if png:
        return Response(
            base64.b64decode(result.images[0]),
            media_type="image/png",
            headers={"X-Class-Index": str(resolution.index), "X-Seed": str(seed)},
        )
    return SamplesResponse(
        resolution=resolution,
        truncation=params.truncation,
        seed=seed,
        count=params.count,
        width=result.width,
        height=result.height,
        timings=timings(started, resolved, result),
        images=[
            ImageModel(png_base64=image, seed=seed + i)
            for i, image in enumerate(result.images)
        ],
    )


@router.post(
    "/api/biggan/interpolate",
    response_model=InterpolateResponse,
    responses=ERROR_RESPONSES,
)
async def create_interpolation(
    params: InterpolateRequest, request: Request
) -> InterpolateResponse:
    """Draw images on the line between two (class, seed) points, in noise and class."""
    service = get_service(request)
    started = time.perf_counter()
    seeds = [
        end.seed if end.seed is not None else new_seed()
        for end in (params.start, params.end)
    ]
    ends = [
        require_found(
            service, await service.resolve_target(end.label, end.class_index, seed)
        )
        for end, seed in zip((params.start, params.end), seeds, strict=True)
    ]
    resolved = time.perf_counter()
    with worker_errors():
        positions, result = await service.interpolate(
            (ends[0].index, seeds[0]),
            (ends[1].index, seeds[1]),
            params.steps,
            params.truncation,
        )
    return InterpolateResponse(
        start=ends[0],
        end=ends[1],
        start_seed=seeds[0],
        end_seed=seeds[1],
        truncation=params.truncation,
        steps=params.steps,
        width=result.width,
        height=result.height,
        images=[
            ImageModel(png_base64=image, t=t)
            for t, image in zip(positions, result.images, strict=True)
        ],
        timings=timings(started, resolved, result),
    )
