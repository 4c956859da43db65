"""Property values as the engine's property bags hold them.

On the wire a secret is ``{"$secret": X}`` and a value not known until apply is ``{"$unknown": true}``. In plugin
code they are a :class:`Secret` and :data:`UNKNOWN`, so a secret cannot be printed or logged by accident.
"""
from __future__ import annotations

from typing import Any, Union

PropertyValue = Union[None, bool, int, float, str, list["PropertyValue"], dict[str, "PropertyValue"], "Secret", "Unknown"]
PropertyMap = dict[str, PropertyValue]


class Secret:
    """A secret value; ``str()`` and ``repr()`` show ``[secret]``, never the value."""

    __slots__ = ("_value",)

    def __init__(self, value: PropertyValue) -> None:
        self._value = value

    def reveal(self) -> PropertyValue:
        """The plaintext value; keep it out of messages and logs."""
        return self._value

    def __repr__(self) -> str:
        return "[secret]"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("secret", repr(self._value)))


class Unknown:
    """The marker of a value not known until apply (only in previews)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "[unknown]"


UNKNOWN = Unknown()


def unwrap(value: PropertyValue) -> PropertyValue:
    """The value without its secret wrapper."""
    return value.reveal() if isinstance(value, Secret) else value


def is_fully_known(value: PropertyValue) -> bool:
    """True when no value at any depth is unknown."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, Secret):
        return is_fully_known(value.reveal())
    if isinstance(value, list):
        return all(is_fully_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_fully_known(v) for v in value.values())
    return True


def from_wire(json: Any) -> Any:
    """Reads wire JSON: markers become :class:`Secret` and :data:`UNKNOWN`."""
    if isinstance(json, list):
        return [from_wire(v) for v in json]
    if isinstance(json, dict):
        return decode_marker({k: from_wire(v) for k, v in json.items()})
    return json


def to_wire(value: Any) -> Any:
    """Writes a value for the wire, markers included."""
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    # A marker's own content (a secret's value) may hold markers again.
    return to_wire(encode_marker(value))


def decode_marker(obj: dict[str, Any]) -> Any:
    """The one reading of a marker: ``json.loads``' object hook, called by the decoder for each object (innermost
    first), so a message is read in one pass; :func:`from_wire` applies it to JSON already parsed."""
    if len(obj) == 1:
        if "$unknown" in obj:
            return UNKNOWN
        if "$secret" in obj:
            return Secret(obj["$secret"])
    return obj


def encode_marker(value: Any) -> Any:
    """The one writing of a marker: ``json.dumps``' default, for the values JSON cannot write itself, so an answer is
    written in one pass instead of being copied first; :func:`to_wire` applies it to make wire JSON."""
    if isinstance(value, Unknown):
        return {"$unknown": True}
    if isinstance(value, Secret):
        return {"$secret": value.reveal()}
    raise TypeError(f"cannot send a {type(value).__name__} over the protocol")
