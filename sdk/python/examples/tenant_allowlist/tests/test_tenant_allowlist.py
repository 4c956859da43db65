import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "..", "tenant_allowlist.py")


class TenantAllowListTest(unittest.TestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.allow_list = os.path.join(self.folder.name, "tenants.txt")
        with open(self.allow_list, "w", encoding="utf-8") as file:
            file.write("# tenants we serve\nacme\nglobex  # since 2025\n")
        environment = dict(os.environ, PYTHONPATH=os.path.join(HERE, "..", "..", "..", "src"))
        self.process = subprocess.Popen([sys.executable, PLUGIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environment)
        self.next_id = 0

    def tearDown(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.assertEqual(self.process.wait(timeout=10), 0)
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.folder.cleanup()

    def call(self, method: str, params: object) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.next_id += 1
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def resource(self, name: str, inputs: dict) -> dict:
        return {"urn": f"urn:pulumi:dev::p::postgres:index:Database::{name}", "type": "postgres:index:Database", "custom": True,
                "inputs": inputs, "protect": False, "dependencies": []}

    def validate(self, inputs: dict) -> list:
        params = {"policy": "tenant-on-allow-list", "stack": "dev", "resource": self.resource("db", inputs), "config": {},
                  "packConfig": {"allowListFile": self.allow_list}}
        return self.call("validateResource", params)["result"]["violations"]

    def test_describe_lists_both_policies_with_their_levels(self) -> None:
        self.call("handshake", {"protocol": "infra-plugin/1", "engineVersion": "1"})
        described = self.call("describe", {})["result"]
        self.assertEqual([(p["name"], p["kind"], p["defaultLevel"]) for p in described["policies"]],
                         [("tenant-on-allow-list", "resource", "mandatory"), ("one-tenant-per-stack", "stack", "mandatory")])
        self.assertEqual(described["config"][0]["key"], "allowListFile")

    def test_a_listed_tenant_passes_and_an_unlisted_one_is_named(self) -> None:
        self.assertEqual(self.validate({"tenantId": "acme"}), [])
        self.assertEqual(self.validate({"tenantId": {"$secret": "globex"}}), [])
        self.assertEqual(self.validate({"metadata": {"labels": {"infra.dev/tenant": "acme"}}}), [])
        violations = self.validate({"tenantId": "initech"})
        self.assertEqual(len(violations), 1)
        self.assertIn("'initech'", violations[0])

    def test_an_unknown_tenant_id_is_left_for_apply_time(self) -> None:
        self.assertEqual(self.validate({"tenantId": {"$unknown": True}}), [])

    def test_a_stack_with_two_tenants_names_the_second(self) -> None:
        params = {"policy": "one-tenant-per-stack", "stack": "dev", "config": {}, "packConfig": {"allowListFile": self.allow_list},
                  "resources": [self.resource("a", {"tenantId": "acme"}), self.resource("b", {"tenantId": "globex"})]}
        violations = self.call("validateStack", params)["result"]["violations"]
        self.assertEqual(violations, [{"message": violations[0]["message"], "urn": "urn:pulumi:dev::p::postgres:index:Database::b"}])

    def test_an_unknown_policy_is_invalid_params(self) -> None:
        answer = self.call("validateResource", {"policy": "nope", "stack": "dev", "resource": self.resource("x", {}), "config": {}, "packConfig": {}})
        self.assertEqual(answer["error"]["code"], -32602)


if __name__ == "__main__":
    unittest.main()
