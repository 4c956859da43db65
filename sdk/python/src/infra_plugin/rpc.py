"""The JSON-RPC 2.0 loop: one message per line on stdin and stdout, stderr for the log.

Requests run concurrently: coroutine handlers as asyncio tasks, plain functions on worker threads, so a slow call
never holds up the others. ``$/cancelRequest`` cancels the task of the call it names.
"""
from __future__ import annotations

import asyncio
import atexit
import inspect
import json
import os
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import IO, Any, Awaitable, Callable, Iterable, Mapping, Union

from .errors import ErrorCodes, PluginError
from .values import decode_marker, encode_marker, to_wire

PROTOCOL_VERSION = "infra-plugin/1"

# Markers are read and written by the json module's own passes (hooks called per object and per unknown value), not
# by a second walk over every value of every message: that walk was the SDK's largest cost per call.
_DECODER = json.JSONDecoder(object_hook=decode_marker)
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=encode_marker)

Handler = Callable[[Any], Union[Any, Awaitable[Any]]]


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    capabilities: tuple[str, ...]


class _Writer:
    """Writes whole lines. The answers completed in one pass of the event loop (the calls of one chunk of input) leave
    in one write: one system call, and one wake-up of the engine's reader, instead of one per answer."""

    def __init__(self, output: IO[bytes], loop: asyncio.AbstractEventLoop) -> None:
        self._output = output
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self._lock = threading.Lock()
        self._queued: list[bytes] = []

    def write(self, message: Mapping[str, Any]) -> None:
        line = _ENCODER.encode(message).encode("utf-8") + b"\n"
        with self._lock:
            if not self._queued:
                # From the loop's own thread without waking it through its self-pipe (a system call per answer).
                if threading.get_ident() == self._loop_thread:
                    self._loop.call_soon(self.flush)
                else:
                    self._loop.call_soon_threadsafe(self.flush)
            self._queued.append(line)

    def flush(self) -> None:
        """Writes what is queued; the loop calls it once per pass, and serve once more before it returns."""
        with self._lock:
            lines, self._queued = self._queued, []
        if lines:
            self._output.write(b"".join(lines))
            self._output.flush()


async def serve(
    info: PluginInfo,
    methods: Mapping[str, Handler],
    input: IO[bytes] | None = None,
    output: IO[bytes] | None = None,
) -> None:
    """Serves ``methods`` until the input ends, then waits for calls in flight."""
    if output is None:
        output = sys.stdout.buffer
        # stdout carries the protocol: a stray print() goes to the log instead.
        sys.stdout = sys.stderr
    reader = await _reader(input if input is not None else sys.stdin.buffer)
    writer = _Writer(output, asyncio.get_running_loop())
    tasks: dict[Any, asyncio.Task[None]] = {}
    handlers: dict[str, Handler] = dict(methods)
    handlers["handshake"] = lambda params: _handshake(info, params)

    while True:
        line = await reader.readline()
        if not line:
            break
        if not line.strip():
            continue
        try:
            request = _DECODER.decode(line.decode("utf-8"))
        except ValueError as error:
            writer.write({"jsonrpc": "2.0", "id": None, "error": {"code": ErrorCodes.PARSE_ERROR, "message": f"not JSON: {error}"}})
            continue
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            writer.write({"jsonrpc": "2.0", "id": None, "error": {"code": ErrorCodes.INVALID_REQUEST, "message": "expected a JSON-RPC 2.0 request"}})
            continue
        request_id = request.get("id")
        if request_id is None:
            if request["method"] == "$/cancelRequest":
                task = tasks.get((request.get("params") or {}).get("id"))
                if task is not None:
                    task.cancel()
            continue
        task = asyncio.create_task(_call(handlers, request, writer))
        tasks[request_id] = task
        task.add_done_callback(lambda _t, key=request_id: tasks.pop(key, None))

    if tasks:
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    writer.flush()


async def _reader(source: IO[bytes]) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), source)
    return reader


async def _call(handlers: Mapping[str, Handler], request: dict[str, Any], writer: _Writer) -> None:
    request_id = request["id"]
    try:
        handler = handlers.get(request["method"])
        if handler is None:
            raise PluginError(ErrorCodes.METHOD_NOT_FOUND, f"this plugin does not serve '{request['method']}'")
        result = await _invoke(handler, request.get("params") or {})
        writer.write({"jsonrpc": "2.0", "id": request_id, "result": result})
    except asyncio.CancelledError:
        writer.write({"jsonrpc": "2.0", "id": request_id, "error": {"code": ErrorCodes.INTERNAL, "message": "cancelled"}})
    except Exception as error:  # noqa: BLE001 - any bug in a handler is answered, never crashes the loop
        writer.write({"jsonrpc": "2.0", "id": request_id, "error": _error_body(error)})


async def _invoke(handler: Handler, params: Any) -> Any:
    """Runs a coroutine handler on the loop and a plain one on a worker thread."""
    if inspect.iscoroutinefunction(handler):
        return await handler(params)
    result = await asyncio.to_thread(handler, params)
    if inspect.isawaitable(result):
        result = await result
    return result


def _error_body(error: Exception) -> dict[str, Any]:
    """The JSON-RPC error object for what a handler raised: a PluginError keeps its code, anything else is internal."""
    if isinstance(error, PluginError):
        body: dict[str, Any] = {"code": error.code, "message": error.message}
        if error.data is not None:
            body["data"] = to_wire(error.data)
        return body
    traceback.print_exception(error, file=sys.stderr)
    return {"code": ErrorCodes.INTERNAL, "message": f"{type(error).__name__}: {error}", "data": {"type": type(error).__name__}}


def batch_of(handlers: Mapping[str, Handler], allowed: Iterable[str]) -> Handler:
    """The ``batch`` handler: runs each call with its method from ``handlers`` (only those in ``allowed``) concurrently,
    and answers every call on its own, in the calls' order, once all are done. A call that raises fails alone."""
    permitted = frozenset(allowed)

    async def one(call: Any) -> dict[str, Any]:
        try:
            if not isinstance(call, dict) or not isinstance(call.get("method"), str):
                raise PluginError(ErrorCodes.INVALID_REQUEST, "each call of a batch needs a method and params")
            handler = handlers.get(call["method"]) if call["method"] in permitted else None
            if handler is None:
                raise PluginError(ErrorCodes.METHOD_NOT_FOUND, f"a batch cannot carry '{call['method']}'")
            return {"result": await _invoke(handler, call.get("params") or {})}
        except Exception as error:  # noqa: BLE001 - one call's failure is its own answer
            return {"error": _error_body(error)}

    async def batch(params: Any) -> dict[str, Any]:
        calls = params.get("calls") if isinstance(params, dict) else None
        if not isinstance(calls, list):
            raise PluginError.invalid_params("params lack 'calls'", "calls")
        return {"results": list(await asyncio.gather(*(one(call) for call in calls)))}

    return batch


def _handshake(info: PluginInfo, params: Any) -> dict[str, Any]:
    protocol = params.get("protocol") if isinstance(params, dict) else None
    if protocol != PROTOCOL_VERSION:
        raise PluginError(ErrorCodes.PROTOCOL_MISMATCH, f"this plugin speaks {PROTOCOL_VERSION}, not {protocol}", {"supported": [PROTOCOL_VERSION]})
    return {"name": info.name, "version": info.version, "protocol": PROTOCOL_VERSION, "capabilities": list(info.capabilities)}


def run(coroutine: Awaitable[None], *, end_process: bool = False) -> None:
    """Runs a serve coroutine as the process's main loop.

    With ``end_process`` (the plugin serves its own stdin and stdout), the process then ends at once. The engine waits
    for a plugin to exit before its operation ends, and the interpreter's teardown (freeing every module and object)
    takes 20 ms and more of that wait. The atexit hooks still run and the standard streams are flushed, as on a normal
    exit."""
    asyncio.run(coroutine)  # type: ignore[arg-type]
    if end_process:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
