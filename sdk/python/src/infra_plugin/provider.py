"""Providers: subclass :class:`Provider` and call :func:`serve_provider`."""
from __future__ import annotations

import abc
import inspect
from typing import TYPE_CHECKING, Any, Iterable, Optional

from .errors import ErrorCodes, PluginError
from .rpc import PluginInfo, batch_of, run, serve

if TYPE_CHECKING:  # the message types annotate only; a provider's start need not build them
    from .protocol import (CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest, DiffResponse, ReadRequest,
                           UpdateRequest)
    from .values import PropertyMap

class Provider(abc.ABC):
    """A resource provider: the engine's ``IResourceProvider`` in Python. Calls arrive concurrently.

    Methods may be ``async def`` (run on the event loop) or plain (run on worker threads). Create must be idempotent
    after a crash: adopt an object that exists exactly as declared, raise :meth:`PluginError.conflict` for one that
    differs. Deleting something already gone succeeds.
    """

    @abc.abstractmethod
    def get_schema(self) -> dict[str, Any]: ...

    def configure(self, request: ConfigureRequest) -> Any:
        return None

    @abc.abstractmethod
    def check(self, request: CheckRequest) -> Any: ...

    def diff(self, request: DiffRequest) -> Any:
        return diff_inputs(request["oldInputs"], request["newInputs"])

    @abc.abstractmethod
    def create(self, request: CreateRequest) -> Any: ...

    @abc.abstractmethod
    def read(self, request: ReadRequest) -> Any: ...

    @abc.abstractmethod
    def update(self, request: UpdateRequest) -> Any: ...

    @abc.abstractmethod
    def delete(self, request: DeleteRequest) -> Any: ...


def diff_inputs(old: PropertyMap, new: PropertyMap, replace_on_change: Optional[Iterable[str]] = None) -> DiffResponse:
    """Each changed top-level input is a change; those in ``replace_on_change`` (all when omitted) force replacement."""
    changed = sorted(k for k in set(old) | set(new) if old.get(k, _MISSING) != new.get(k, _MISSING))
    replacing = None if replace_on_change is None else set(replace_on_change)
    return {"changed": changed, "replaces": [k for k in changed if replacing is None or k in replacing]}


_MISSING = object()


def provider_methods(provider: Provider) -> dict[str, Any]:
    """The protocol methods of ``provider``, guarded so that resource calls wait for ``configure``."""
    state = {"configured": False}

    def admit(params: Any) -> None:
        if not state["configured"]:
            raise PluginError(ErrorCodes.NOT_CONFIGURED, "call configure before any resource method")
        for field in ("urn", "type"):
            if not isinstance(params, dict) or field not in params:
                raise PluginError.invalid_params(f"params lack '{field}'", field)

    def resource(method: Any) -> Any:
        # Keep coroutine methods on the event loop and plain ones on worker threads: the loop dispatches by kind.
        if inspect.iscoroutinefunction(method):
            async def call_async(params: Any) -> Any:
                admit(params)
                return await method(params)
            return call_async

        def call(params: Any) -> Any:
            admit(params)
            return method(params)
        return call

    def configure(params: Any) -> Any:
        result = provider.configure(params)
        state["configured"] = True
        return result

    async def configure_async(params: Any) -> None:
        result = configure(params)
        if inspect.isawaitable(result):
            await result
        return None

    resources = {
        "check": resource(provider.check),
        "diff": resource(provider.diff),
        "create": resource(provider.create),
        "read": resource(provider.read),
        "update": resource(provider.update),
        "delete": resource(provider.delete),
    }
    return {
        "getSchema": lambda _params: provider.get_schema(),
        "configure": configure_async,
        **resources,
        "batch": batch_of(resources, resources),
    }


def provider_info(name: str, version: str, *, preview: bool = False) -> PluginInfo:
    """The handshake of a provider plugin: ``name``@``version`` with the capabilities the SDK serves.

    ``preview=True`` announces "preview": the provider predicts its outputs at preview, so the engine sends it
    ``create`` and ``update`` with ``preview: true``. Without it the engine never does: the preview's outputs are the
    inputs, every other output unknown, as in Pulumi for a provider without ``supportsPreview``.
    """
    # "batch": the engine may send several resource calls in one message (docs/plugins/protocol.md).
    return PluginInfo(name, version, ("provider", "batch", "preview") if preview else ("provider", "batch"))


def serve_provider(name: str, version: str, provider: Provider, *, preview: bool = False, **io: Any) -> None:
    """Serves ``provider`` as the plugin ``name``@``version`` on stdin and stdout until the engine closes stdin.

    ``preview``: see :func:`provider_info`.
    """
    run(serve(provider_info(name, version, preview=preview), provider_methods(provider), **io), end_process=not io)


__all__ = ["Provider", "diff_inputs", "serve_provider", "provider_info", "provider_methods"]
