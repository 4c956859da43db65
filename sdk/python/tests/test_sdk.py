import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from infra_plugin import (UNKNOWN, PluginError, PluginInfo, Provider, Secret, diff_inputs, from_wire, provider_info, provider_methods,  # noqa: E402
                          serve, to_wire)
from infra_plugin import rpc  # noqa: E402


class Pipe:
    """Runs serve() on a thread over OS pipes, as the engine runs a plugin over stdin and stdout."""

    def __init__(self, methods: dict) -> None:
        to_plugin_r, self._to_plugin = os.pipe()
        self._from_plugin, from_plugin_w = os.pipe()
        self.reader = os.fdopen(self._from_plugin, "r", encoding="utf-8")
        self.writer = os.fdopen(self._to_plugin, "w", encoding="utf-8")
        plugin_in = os.fdopen(to_plugin_r, "rb", buffering=0)
        plugin_out = os.fdopen(from_plugin_w, "wb")
        info = PluginInfo("t", "1.0.0", ("provider",))
        self.thread = threading.Thread(target=lambda: (asyncio.run(serve(info, methods, input=plugin_in, output=plugin_out)), plugin_out.close()))
        self.thread.start()

    def send(self, *messages: dict) -> None:
        for message in messages:
            self.writer.write(json.dumps(message) + "\n")
        self.writer.flush()

    def answers(self, count: int) -> list[dict]:
        return [json.loads(self.reader.readline()) for _ in range(count)]

    def close(self) -> None:
        self.writer.close()
        self.thread.join(10)
        self.reader.close()


class Recording:
    """An output that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def flush(self) -> None:
        pass


class SdkTest(unittest.TestCase):
    def test_a_batch_answers_each_call_on_its_own_and_a_failing_call_fails_alone(self) -> None:
        class Conflicting(Provider):
            def get_schema(self):
                return {"package": "t", "resources": {}}

            async def check(self, request):
                return {"inputs": request["newInputs"], "failures": []}

            def create(self, request):  # a plain method runs on a worker thread, inside a batch too
                raise PluginError.conflict("exists", "a/A")

            def read(self, request):
                return {"status": "notFound", "id": None, "inputs": {}, "outputs": {}}

            def update(self, request):
                return {"outputs": request["newInputs"]}

            def delete(self, request):
                return None

        pipe = Pipe(provider_methods(Conflicting()))
        urn = "urn:pulumi:s::p::t:index:T::a"
        pipe.send({"jsonrpc": "2.0", "id": 1, "method": "configure", "params": {"stackName": "s", "projectName": "p", "projectDirectory": "/", "config": {}, "isPreview": True}})
        pipe.answers(1)
        pipe.send({"jsonrpc": "2.0", "id": 2, "method": "batch", "params": {"calls": [
            {"method": "check", "params": {"urn": urn, "type": "t:index:T", "oldInputs": None, "newInputs": {"token": {"$secret": "s"}}}},
            {"method": "create", "params": {"urn": urn, "type": "t:index:T", "inputs": {}, "timeout": None, "preview": False}},
            {"method": "delete", "params": {"urn": urn, "type": "t:index:T", "id": "a", "inputs": {}, "outputs": {}, "timeout": None}},
            {"method": "configure", "params": {}},
        ]}})
        [answer] = pipe.answers(1)
        pipe.close()
        self.assertEqual(answer["result"]["results"], [
            {"result": {"inputs": {"token": {"$secret": "s"}}, "failures": []}},
            {"error": {"code": 1001, "message": "exists", "data": {"id": "a/A"}}},
            {"result": None},
            {"error": {"code": -32601, "message": "a batch cannot carry 'configure'"}},
        ])

    def test_a_provider_announces_the_preview_capability_only_when_its_author_opts_in(self) -> None:
        self.assertEqual(provider_info("t", "1").capabilities, ("provider", "batch"))
        self.assertEqual(provider_info("t", "1", preview=False).capabilities, ("provider", "batch"))
        self.assertEqual(provider_info("t", "1", preview=True).capabilities, ("provider", "batch", "preview"))

    def test_answers_completed_in_one_pass_leave_in_one_write_and_a_slow_call_follows_on_its_own(self) -> None:
        async def fast(params):
            return params

        async def slow(params):
            await asyncio.sleep(0.1)
            return "late"

        to_plugin_r, to_plugin_w = os.pipe()
        calls = [{"jsonrpc": "2.0", "id": i, "method": "fast", "params": i} for i in (1, 2, 3)] + [{"jsonrpc": "2.0", "id": 4, "method": "slow"}]
        os.write(to_plugin_w, "".join(json.dumps(call) + "\n" for call in calls).encode())
        os.close(to_plugin_w)
        output = Recording()
        with os.fdopen(to_plugin_r, "rb", buffering=0) as plugin_in:
            asyncio.run(serve(PluginInfo("t", "1.0.0", ()), {"fast": fast, "slow": slow}, input=plugin_in, output=output))  # type: ignore[arg-type]

        ids = [[json.loads(line)["id"] for line in chunk.decode().splitlines()] for chunk in output.writes]
        self.assertEqual([[1, 2, 3], [4]], ids)

    def test_requests_split_across_reads_or_sharing_one_are_each_answered_and_the_last_may_lack_its_line_end(self) -> None:
        async def echo(params):
            return params

        to_plugin_r, to_plugin_w = os.pipe()

        def engine() -> None:
            first = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "echo", "params": "one"}) + "\n"
            os.write(to_plugin_w, first[:10].encode())
            time.sleep(0.05)  # the plugin reads the first part alone
            os.write(to_plugin_w, (first[10:] + json.dumps({"jsonrpc": "2.0", "id": 2, "method": "echo", "params": "two"}) + "\n\n"
                                   + json.dumps({"jsonrpc": "2.0", "id": 3, "method": "echo", "params": "three"})).encode())
            os.close(to_plugin_w)

        writer = threading.Thread(target=engine)
        writer.start()
        output = Recording()
        with os.fdopen(to_plugin_r, "rb", buffering=0) as plugin_in:
            asyncio.run(serve(PluginInfo("t", "1.0.0", ()), {"echo": echo}, input=plugin_in, output=output))  # type: ignore[arg-type]
        writer.join()

        answers = [json.loads(line) for chunk in output.writes for line in chunk.decode().splitlines()]
        self.assertEqual({1: "one", 2: "two", 3: "three"}, {a["id"]: a["result"] for a in answers})

    def test_a_request_longer_than_the_line_limit_ends_serving_with_an_error_that_says_so(self) -> None:
        to_plugin_r, to_plugin_w = os.pipe()
        os.write(to_plugin_w, b'{"jsonrpc": "2.0", "id": 1, "method": "' + b"x" * 2048)
        os.close(to_plugin_w)
        limit, rpc._LINE_LIMIT = rpc._LINE_LIMIT, 1024
        try:
            with os.fdopen(to_plugin_r, "rb", buffering=0) as plugin_in, self.assertRaisesRegex(ValueError, "longer than 1024 bytes"):
                asyncio.run(serve(PluginInfo("t", "1.0.0", ()), {}, input=plugin_in, output=Recording()))  # type: ignore[arg-type]
        finally:
            rpc._LINE_LIMIT = limit

    def test_a_cancelled_call_is_answered_as_cancelled_and_does_not_hold_up_the_end_of_serving(self) -> None:
        async def slow(_params):
            await asyncio.sleep(30)
            return "late"

        pipe = Pipe({"slow": slow})
        started = time.monotonic()
        pipe.send({"jsonrpc": "2.0", "id": 1, "method": "slow"}, {"jsonrpc": "2.0", "id": 2, "method": "slow"},
                  {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}})  # 2 is cancelled before its first step
        time.sleep(0.1)
        pipe.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 1}})
        [answer] = pipe.answers(1)
        pipe.close()
        self.assertEqual((answer["id"], answer["error"]["message"]), (1, "cancelled"))
        self.assertFalse(pipe.thread.is_alive())
        self.assertLess(time.monotonic() - started, 10)

    def test_handshake_answers_and_another_protocol_is_refused(self) -> None:
        pipe = Pipe({})
        pipe.send({"jsonrpc": "2.0", "id": 1, "method": "handshake", "params": {"protocol": "infra-plugin/1"}},
                  {"jsonrpc": "2.0", "id": 2, "method": "handshake", "params": {"protocol": "infra-plugin/2"}})
        answers = {a["id"]: a for a in pipe.answers(2)}
        pipe.close()
        self.assertEqual(answers[1]["result"]["protocol"], "infra-plugin/1")
        self.assertEqual(answers[2]["error"]["code"], -32010)

    def test_calls_run_concurrently_on_threads_and_the_loop(self) -> None:
        def slow(_params: object) -> str:
            time.sleep(0.5)
            return "slow"

        async def fast(_params: object) -> str:
            return "fast"

        pipe = Pipe({"slow": slow, "fast": fast})
        started = time.monotonic()
        pipe.send(*[{"jsonrpc": "2.0", "id": i, "method": "slow"} for i in range(8)], {"jsonrpc": "2.0", "id": 99, "method": "fast"})
        answers = pipe.answers(9)
        elapsed = time.monotonic() - started
        pipe.close()
        self.assertEqual(answers[0]["id"], 99)
        self.assertLess(elapsed, 8 * 0.5)

    def test_errors_keep_code_and_data_and_bugs_are_internal(self) -> None:
        def conflict(_params: object) -> None:
            raise PluginError.conflict("exists", "a/A")

        def bug(_params: object) -> None:
            raise KeyError("x")

        pipe = Pipe({"conflict": conflict, "bug": bug})
        pipe.send({"jsonrpc": "2.0", "id": 1, "method": "conflict"})
        first = pipe.answers(1)[0]
        pipe.send({"jsonrpc": "2.0", "id": 2, "method": "bug"})
        second = pipe.answers(1)[0]
        pipe.writer.write("{garbage\n")
        pipe.writer.flush()
        third = pipe.answers(1)[0]
        pipe.send({"jsonrpc": "2.0", "id": [4], "method": "conflict"})
        fourth = pipe.answers(1)[0]
        pipe.writer.write("[" * 100_000 + "]" * 100_000 + "\n")
        pipe.writer.flush()
        fifth = pipe.answers(1)[0]
        pipe.close()
        self.assertEqual(first["error"], {"code": 1001, "message": "exists", "data": {"id": "a/A"}})
        self.assertEqual(second["error"]["code"], -32603)
        self.assertEqual(third["error"]["code"], -32700)
        self.assertEqual((fourth["id"], fourth["error"]["code"]), (None, -32600))
        self.assertEqual(fifth["error"]["code"], -32700)

    def test_a_provider_starts_without_the_policy_and_protocol_modules_and_their_names_still_import_from_the_package(self) -> None:
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
        script = ("import sys; from infra_plugin import Provider, serve_provider; "
                  "loaded = [m for m in ('infra_plugin.policy', 'infra_plugin.protocol') if m in sys.modules]; "
                  "from infra_plugin import PolicyPack, name_of, serve_policy_pack; "
                  "print(len(loaded), PolicyPack.__module__, serve_policy_pack.__name__, name_of('urn:a::b'))")
        result = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": src}, capture_output=True, text=True, check=True)
        self.assertEqual(result.stdout.split(), ["0", "infra_plugin.policy", "serve_policy_pack", "b"])

    def test_markers_become_types_and_back(self) -> None:
        value = from_wire({"a": {"$secret": "s"}, "b": {"$unknown": True}})
        self.assertIsInstance(value["a"], Secret)
        self.assertIs(value["b"], UNKNOWN)
        self.assertEqual(repr(value["a"]), "[secret]")
        self.assertEqual(to_wire(value), {"a": {"$secret": "s"}, "b": {"$unknown": True}})

    def test_diff_inputs_names_changes_and_replacements(self) -> None:
        self.assertEqual(diff_inputs({"name": "a", "size": 1}, {"name": "b", "size": 2}, ["name"]),
                         {"changed": ["name", "size"], "replaces": ["name"]})


if __name__ == "__main__":
    unittest.main()
