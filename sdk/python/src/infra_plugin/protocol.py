"""The messages of ``infra-plugin/1`` (docs/plugins/protocol.md), mirroring the engine's in-process records."""
from __future__ import annotations

from typing import Literal, Optional, TypedDict

from .values import PropertyMap, PropertyValue

ReadStatus = Literal["found", "notFound", "indeterminate"]
EnforcementLevel = Literal["advisory", "mandatory", "remediate", "disabled"]
PolicyConfigType = Literal["boolean", "integer", "number", "string", "stringList"]


class ConfigureRequest(TypedDict):
    stackName: str
    projectName: str
    projectDirectory: str
    config: PropertyMap
    isPreview: bool


class CheckRequest(TypedDict):
    urn: str
    type: str
    oldInputs: Optional[PropertyMap]
    newInputs: PropertyMap


class CheckFailure(TypedDict):
    property: str
    reason: str


class CheckResponse(TypedDict):
    inputs: PropertyMap
    failures: list[CheckFailure]


class DiffRequest(TypedDict):
    urn: str
    type: str
    id: str
    oldInputs: PropertyMap
    oldOutputs: PropertyMap
    newInputs: PropertyMap


class DiffResponse(TypedDict, total=False):
    changed: list[str]
    replaces: list[str]
    deleteBeforeReplace: bool


class CreateRequest(TypedDict):
    urn: str
    type: str
    inputs: PropertyMap
    timeout: Optional[float]
    preview: bool


class CreateResponse(TypedDict):
    id: str
    outputs: PropertyMap


class ReadRequest(TypedDict):
    urn: str
    type: str
    id: Optional[str]
    inputs: Optional[PropertyMap]
    outputs: Optional[PropertyMap]


class ReadResponse(TypedDict):
    status: ReadStatus
    id: Optional[str]
    inputs: PropertyMap
    outputs: PropertyMap


class UpdateRequest(TypedDict):
    urn: str
    type: str
    id: str
    oldInputs: PropertyMap
    oldOutputs: PropertyMap
    newInputs: PropertyMap
    timeout: Optional[float]
    preview: bool


class UpdateResponse(TypedDict):
    outputs: PropertyMap


class DeleteRequest(TypedDict):
    urn: str
    type: str
    id: str
    inputs: PropertyMap
    outputs: PropertyMap
    timeout: Optional[float]


class PolicyResource(TypedDict, total=False):
    urn: str
    type: str
    parent: Optional[str]
    custom: bool
    inputs: PropertyMap
    protect: bool
    dependencies: list[str]


class PolicyConfigProperty(TypedDict, total=False):
    key: str
    type: PolicyConfigType
    description: str
    default: PropertyValue
    required: bool
    minimum: float
    allowedValues: list[str]


class PolicySelector(TypedDict, total=False):
    types: list[str]
    kubernetesKinds: list[str]


def name_of(urn: str) -> str:
    """A resource's name: the last part of its URN."""
    return urn.rsplit("::", 1)[-1]
