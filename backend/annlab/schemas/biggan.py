"""Requests and responses of the BigGAN lesson (a pretrained conditional GAN)."""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from annlab.engines.biggan.specs import (
    DEFAULT_TRUNCATION,
    MAX_TRUNCATION,
    MIN_TRUNCATION,
)
from annlab.schemas.common import EventModel, ParamsModel, Within

MAX_SEED = 2**31 - 1
MAX_LABEL_LENGTH = 100
MAX_BATCH_LABELS = 32
MIN_COUNT, MAX_COUNT = 1, 16
MIN_STEPS, MAX_STEPS = 2, 10
DEFAULT_STEPS = 6
DEFAULT_LABEL = "soap bubble"

Seed = Annotated[int, Within(0, MAX_SEED)]
ClassIndex = Annotated[int, Within(0, 999)]
Truncation = Annotated[float, Within(MIN_TRUNCATION, MAX_TRUNCATION)]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LABEL_LENGTH),
]

TRUNCATION_DESCRIPTION = (
    "Noise is drawn from a normal distribution cut off at 2 standard deviations "
    "and scaled by this value. Small values give typical, clean images with "
    "little variety; 1 gives the most variety and more odd images."
)
SEED_DESCRIPTION = (
    "Seeds the noise and, for a label with several candidate classes, the choice "
    "among them. Unset: the server draws one and returns it."
)


class ResolveRequest(ParamsModel):
    label: Label = Field(description="Word or phrase to turn into an ImageNet class.")
    seed: Seed | None = Field(
        None,
        description="Picks among several candidate classes; unset: the first one.",
    )
    candidate: ClassIndex | None = Field(
        None,
        description="Index of one of the label's candidate classes, taken in place "
        "of the seed's pick.",
    )


class ResolveBatchRequest(ParamsModel):
    labels: list[Annotated[str, StringConstraints(max_length=MAX_LABEL_LENGTH)]] = (
        Field(
            min_length=1,
            max_length=MAX_BATCH_LABELS,
            description="Labels resolved one by one; an empty or unknown one gets "
            "its own "
            "not-found result.",
        )
    )
    seed: Seed | None = Field(
        None, description="Picks among several candidate classes."
    )


class TargetMixin(ParamsModel):
    """Exactly one of a label and a class index."""

    label: Label | None = Field(None, description="Word or phrase naming the class.")
    class_index: ClassIndex | None = Field(
        None, description="ImageNet class index, 0 to 999."
    )

    @model_validator(mode="after")
    def check_one_target(self):
        if (self.label is None) == (self.class_index is None):
            # A PydanticCustomError keeps the error context JSON-serializable.
            raise PydanticCustomError(
                "one_target", "give exactly one of label and class_index"
            )
        return self


class SamplesRequest(TargetMixin):
    truncation: Truncation = Field(
        DEFAULT_TRUNCATION, description=TRUNCATION_DESCRIPTION
    )
    seed: Seed | None = Field(None, description=SEED_DESCRIPTION)
    count: Annotated[int, Within(MIN_COUNT, MAX_COUNT)] = Field(
        1, description="Number of images; image i uses the noise of seed + i."
    )


class InterpolationEnd(TargetMixin):
    seed: Seed | None = Field(None, description=SEED_DESCRIPTION)


class InterpolateRequest(ParamsModel):
    start: InterpolationEnd
    end: InterpolationEnd
    steps: Annotated[int, Within(MIN_STEPS, MAX_STEPS)] = Field(
        DEFAULT_STEPS, description="Images along the line, both end points included."
    )
    truncation: Truncation = Field(
        DEFAULT_TRUNCATION, description=TRUNCATION_DESCRIPTION
    )


class SynsetStepModel(EventModel):
    """A WordNet synset on the way from the label to the class."""

    model_config = ConfigDict(from_attributes=True)

    name: str = Field(description='NLTK synset name, such as "dog.n.01".')
    lemmas: list[str]
    gloss: str
    offset: int = Field(description="WordNet 3.0 noun offset.")
    class_index: int | None = Field(
        description="The ImageNet class this synset is, if any."
    )


class ClassChoiceModel(EventModel):
    model_config = ConfigDict(from_attributes=True)

    index: int
    name: str


class ResolutionModel(EventModel):
    """Outcome of resolving a label: the class found, or the reason none was."""

    model_config = ConfigDict(from_attributes=True)

    label: str
    found: bool
    message: str
    index: int | None = None
    name: str | None = None
    method: (
        Literal["index", "name", "synonym", "direct", "hyponym", "hypernym", "random"]
        | None
    ) = Field(
        None,
        description="name or synonym: matched a class name; direct: a WordNet sense "
        "is the class; hyponym: the class is a kind of the word; hypernym: the "
        "class is a broader term; index and random: chosen without a label.",
    )
    path: list[SynsetStepModel] = Field(
        [], description="WordNet synsets from the word's sense to the class."
    )
    candidates: list[ClassChoiceModel] = Field(
        [], description="Every class this method found, the chosen one included."
    )
    suggestions: list[ClassChoiceModel] = Field(
        [], description="Close class names, for a label that matched nothing."
    )
    wordnet_searched: bool = False
    gloss: str | None = Field(
        None, description="WordNet definition of the chosen class."
    )


class ResolveBatchResponse(EventModel):
    results: list[ResolutionModel]
    wordnet: bool = Field(description="Whether the WordNet search was on.")


class ImageModel(EventModel):
    png_base64: str
    seed: int | None = Field(None, description="Noise seed of this image.")
    t: float | None = Field(
        None, description="Position on the interpolation line, 0 to 1."
    )


class Timings(EventModel):
    """Times in milliseconds."""

    resolve_ms: float
    worker_ms: float = Field(description="Round trip to the worker.")
    queue_ms: float = Field(
        description="Wait in the worker's queue before the first batch."
    )
    forward_ms: float = Field(description="Generator forward passes for these images.")
    total_ms: float
    batch_sizes: list[int] = Field(
        description="Images in the worker batch that drew each image, other "
        "requests' included."
    )


class SamplesResponse(EventModel):
    resolution: ResolutionModel
    truncation: float
    seed: int
    count: int
    width: int
    height: int
    images: list[ImageModel]
    timings: Timings


class InterpolateResponse(EventModel):
    start: ResolutionModel
    end: ResolutionModel
    start_seed: int
    end_seed: int
    truncation: float
    steps: int
    width: int
    height: int
    images: list[ImageModel]
    timings: Timings


class RandomLabelResponse(EventModel):
    seed: int
    resolution: ResolutionModel


class ClassListResponse(EventModel):
    classes: list[dict] = Field(
        description="index, name, synonyms, wnid and gloss of each class."
    )


class WorkerStatus(EventModel):
    mode: Literal["local", "remote"]
    url: str | None
    pid: int | None
    reachable: bool
    message: str


class ModelStatus(EventModel):
    model_config = ConfigDict(extra="ignore")

    state: Literal["loading", "ready", "unavailable"]
    stage: str
    progress: float
    message: str
    model: str
    device: str | None
    image_size: int | None
    max_batch: int
    max_wait_ms: float
    queue_length: int
    batches: int
    forward_passes: int
    images: int


class WordNetStatus(EventModel):
    state: Literal["on", "off", "loading"]
    message: str


class StatusResponse(EventModel):
    worker: WorkerStatus
    model: ModelStatus | None = Field(
        description="Unset while the worker is unreachable."
    )
    wordnet: WordNetStatus
    default_label: str = DEFAULT_LABEL
    model_setting: str = Field(
        "ANNLAB_BIGGAN_MODEL",
        description="Environment variable that selects the weights "
        "(or the worker's --model).",
    )
