"""The benchmark's provider in the Python SDK: 'memory:index:Item' objects kept in a dict, as MemoryProvider.cs in process."""
from infra_plugin import Provider, diff_inputs, serve_provider


class Memory(Provider):
    def __init__(self) -> None:
        self.items: dict = {}

    def get_schema(self):
        return {"package": "memory", "resources": {"memory:index:Item": {}}}

    async def check(self, request):
        return {"inputs": request["newInputs"], "failures": []}

    async def diff(self, request):
        return diff_inputs(request["oldInputs"], request["newInputs"])

    async def create(self, request):
        if request["preview"]:
            return {"id": "", "outputs": request["inputs"]}
        self.items[request["urn"]] = request["inputs"]
        return {"id": request["urn"], "outputs": request["inputs"]}

    async def read(self, request):
        found = self.items.get(request["id"])
        if found is None:
            return {"status": "notFound", "id": None, "inputs": {}, "outputs": {}}
        return {"status": "found", "id": request["id"], "inputs": found, "outputs": found}

    async def update(self, request):
        if not request["preview"]:
            self.items[request["id"]] = request["newInputs"]
        return {"outputs": request["newInputs"]}

    async def delete(self, request):
        self.items.pop(request["id"], None)


if __name__ == "__main__":
    # No preview=True: its preview predicts no more than the inputs, which is what the engine predicts for a plugin
    # without the "preview" capability, so the preview's creates never reach it (docs/plugins/protocol.md).
    serve_provider("memory", "0.1.0", Memory())
