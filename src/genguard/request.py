"""What a caller asks genguard to screen."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class RequestKind(StrEnum):
    """The four moments genguard screens (DESIGN.md, "Request kinds")."""

    GENERATE = "generate"  # text-to-image, before generation
    EDIT = "edit"  # instruction + source images, before generation
    OUTPUT = "output"  # generated image against its sources and instruction
    UPLOAD = "upload"  # an image uploaded to a platform


class ImageInput(BaseModel):
    """Raw image bytes as received; decoding happens inside genguard under its limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data: bytes = Field(repr=False)
    declared_type: str | None = None
    name: str | None = None


class ScreenRequest(BaseModel):
    """One screening request. Only ``kind`` and what that kind needs are required.

    Named ``ScreenRequest`` so that it never shadows FastAPI's ``Request`` in a route module.
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    kind: RequestKind
    prompt: str = ""
    history: list[str] = Field(default_factory=list)
    sources: list[ImageInput] = Field(default_factory=list)
    output: ImageInput | None = None
    account: str | None = None
    session_id: str | None = None
    #: The caller has verified the user is an adult (age assurance). Policy packs may allow
    #: sexual or nude *generation* of fictional adults for such users; it never changes what is
    #: refused for real people or minors.
    age_assured: bool = False


#: The former name, exported as ``genguard.Request`` since the first release; new code says
#: ``ScreenRequest``.
Request = ScreenRequest
