#!/usr/bin/env python3
"""Writes the schemas of the custom resources the platform stack declares that no @kubernetes-models package covers.

Run by hand when a chart pin in environments/platform-charts.yaml moves (not by the tests: they read the files):
    python3 vendor-crds.py ECK_CHECKOUT OTEL_OPERATOR_CHECKOUT VELERO_CHECKOUT
with each checkout at the tag its pinned chart ships (ECK v2.16.1 for eck-operator 2.16.1, opentelemetry-operator
v0.120.0 for its chart 0.82.0), and Velero at v1.18.1 (the tenant stack renders a Velero Schedule per namespace). Each CRD's served version's openAPIV3Schema is kept, without descriptions, as
crds/<group>_<version>_<kind>.json.
"""
import json
import os
import sys

import yaml

CRDS = {
    0: ["config/crds/v1/resources/elasticsearch.k8s.elastic.co_elasticsearches.yaml",
        "config/crds/v1/resources/kibana.k8s.elastic.co_kibanas.yaml"],
    1: ["config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml",
        "config/crd/bases/opentelemetry.io_instrumentations.yaml"],
    2: ["config/crd/v1/bases/velero.io_schedules.yaml"],
}
WANTED = {("elasticsearch.k8s.elastic.co", "v1", "Elasticsearch"), ("kibana.k8s.elastic.co", "v1", "Kibana"),
          ("opentelemetry.io", "v1beta1", "OpenTelemetryCollector"), ("opentelemetry.io", "v1alpha1", "Instrumentation"),
          ("velero.io", "v1", "Schedule")}


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main(roots):
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crds")
    for index, files in CRDS.items():
        for path in files:
            with open(os.path.join(roots[index], path), encoding="utf-8") as f:
                crd = yaml.safe_load(f)
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if (group, version["name"], kind) not in WANTED or not version.get("served", True):
                    continue
                schema = strip(version["schema"]["openAPIV3Schema"])
                name = f"{group}_{version['name']}_{kind}.json"
                with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                    json.dump(schema, f, separators=(",", ":"), sort_keys=True)
                    f.write("\n")
                print(name)


if __name__ == "__main__":
    main(sys.argv[1:4])
