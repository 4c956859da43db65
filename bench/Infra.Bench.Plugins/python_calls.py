"""The Python SDK's own CPU cost, without the engine: drives Plugins/memory.py over its stdin and stdout as the engine
does, and reads the plugin's CPU from /proc (so the figures move far less with the machine's load than wall times).

    python3 bench/Infra.Bench.Plugins/python_calls.py [SDK_SRC]

Prints `name value unit` per line: `cpu_per_call.one_in_flight` (creates one after another, as the apply's creates
mostly arrive), `cpu_per_call.eight_in_flight` (8 outstanding at once), medians of 5 runs of 8,000 calls each, and
`start.cpu` (spawn, handshake, getSchema, end of input; median of 30). SDK_SRC defaults to sdk/python/src.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "Plugins", "memory.py")
TICKS = os.sysconf("SC_CLK_TCK")
# Debian's interpreter, as Program.cs runs the plugin, when there is one.
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def environment(sdk: str) -> dict[str, str]:
    # What the engine passes a plugin (docs/plugins/protocol.md, Lifecycle), with the SDK on PYTHONPATH as the bench sets it.
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": sdk, "PYTHONDONTWRITEBYTECODE": "1", "HOME": "/tmp", "LANG": "C.UTF-8"}


def inputs(index: int) -> dict[str, object]:
    return {"index": index, "name": f"item-{index}", "labels": {"team": "platform", "tier": index % 3}, "token": {"$secret": f"token-{index}"}}


class Plugin:
    def __init__(self, sdk: str) -> None:
        self.process = subprocess.Popen([PYTHON, PLUGIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment(sdk),
                                        cwd=os.path.dirname(PLUGIN), bufsize=0)
        self.pending = b""
        self.next_id = 0

    def send(self, method: str, params: object) -> None:
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        os.write(self.process.stdin.fileno(), json.dumps(message, separators=(",", ":")).encode() + b"\n")  # type: ignore[union-attr]

    def answer(self) -> dict[str, object]:
        while b"\n" not in self.pending:
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)  # type: ignore[union-attr]
            if not chunk:
                raise RuntimeError("the plugin closed its stdout")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        answer = json.loads(line)
        if "result" not in answer:
            raise RuntimeError(f"the plugin answered an error: {answer}")
        return answer

    def cpu_seconds(self) -> float:
        fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def close(self) -> float:
        """Ends the input and returns the plugin's whole CPU time."""
        self.process.stdin.close()  # type: ignore[union-attr]
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = status
        return usage.ru_utime + usage.ru_stime


def creates(plugin: Plugin, first: int, count: int, in_flight: int) -> None:
    sent = answered = 0
    while answered < count:
        while sent - answered < in_flight and sent < count:
            index = first + sent
            plugin.send("create", {"urn": f"urn:pulumi:bench::bench::memory:index:Item::item-{index}", "type": "memory:index:Item",
                                   "inputs": inputs(index), "timeout": None, "preview": False})
            sent += 1
        plugin.answer()
        answered += 1


def cpu_per_call(sdk: str, in_flight: int, calls: int = 8000) -> float:
    plugin = Plugin(sdk)
    plugin.send("handshake", {"protocol": "infra-plugin/1", "engineVersion": "bench"})
    plugin.answer()
    plugin.send("configure", {"stackName": "bench", "projectName": "bench", "projectDirectory": "/tmp", "config": {}, "isPreview": False})
    plugin.answer()
    creates(plugin, 0, 300, in_flight)  # warm-up
    before = plugin.cpu_seconds()
    creates(plugin, 300, calls, in_flight)
    spent = plugin.cpu_seconds() - before
    plugin.close()
    return spent / calls * 1e6


def start_cpu(sdk: str) -> float:
    plugin = Plugin(sdk)
    plugin.send("handshake", {"protocol": "infra-plugin/1", "engineVersion": "bench"})
    plugin.answer()
    plugin.send("getSchema", None)
    plugin.answer()
    return plugin.close() * 1e3


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    sdk = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "sdk", "python", "src")
    print(f"plugins.python.cpu_per_call.one_in_flight {median([cpu_per_call(sdk, 1) for _ in range(5)]):.1f} us")
    print(f"plugins.python.cpu_per_call.eight_in_flight {median([cpu_per_call(sdk, 8) for _ in range(5)]):.1f} us")
    print(f"plugins.python.start.cpu {median([start_cpu(sdk) for _ in range(30)]):.1f} ms")


if __name__ == "__main__":
    main()
