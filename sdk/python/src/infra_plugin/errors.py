"""The protocol's error answers (docs/plugins/protocol.md)."""
from __future__ import annotations

from typing import Any, Sequence


class ErrorCodes:
    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL = -32603
    PROTOCOL_MISMATCH = -32010
    NOT_CONFIGURED = -32011
    CHECK_FAILED = 1000
    CONFLICT = 1001
    NOT_FOUND = 1002


class PluginError(Exception):
    """Raise from a handler to answer with a code and data; any other exception is answered as ``internal``.

    Every error answer means the call did not happen.
    """

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    @staticmethod
    def invalid_params(message: str, property: str | None = None) -> PluginError:
        return PluginError(ErrorCodes.INVALID_PARAMS, message, None if property is None else {"property": property})

    @staticmethod
    def check_failed(failures: Sequence[dict[str, str]]) -> PluginError:
        return PluginError(ErrorCodes.CHECK_FAILED, "the inputs are invalid", {"failures": list(failures)})

    @staticmethod
    def conflict(message: str, id: str | None = None) -> PluginError:
        return PluginError(ErrorCodes.CONFLICT, message, None if id is None else {"id": id})

    @staticmethod
    def not_found(message: str, id: str) -> PluginError:
        return PluginError(ErrorCodes.NOT_FOUND, message, {"id": id})
