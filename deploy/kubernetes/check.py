#!/usr/bin/env python3
"""Checks the Kubernetes and Strimzi manifests under deploy/kubernetes without a cluster.

Helm and kubectl are not available on the CI machines, so this parses every YAML document
(PyYAML, Debian python3-yaml) and checks what a typo would silently break at deploy time:
  - every document has apiVersion, kind and metadata.name; every kustomization resource exists;
  - the KafkaTopics are exactly the topic catalog's cluster topics with its partition counts,
    retention and cleanup policies;
  - the coordinator's ACLs name only topics that exist, and it may write command topics but
    never read them; an agent (agent-host.sh output) reads exactly its own command topic,
    LITERAL, and writes no command topic; agent-host.example.yaml is the script's output;
  - the coordinator's probes, ports, security context, ConfigMap and Secret references agree;
  - every VFO_ variable set here or in deploy/images is in docs/configuration.md;
  - yamllint (deploy/kubernetes/.yamllint) finds nothing, when it is installed.
Prints one line per failed check and exits 1 if any failed.

usage: deploy/kubernetes/check.py
"""
import pathlib
import re
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("check.py needs PyYAML: apt-get install python3-yaml (and run it with /usr/bin/python3)")

HERE = pathlib.Path(__file__).resolve().parent
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def documents(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def by_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


# --- every file parses, every document is a named object -------------------------------------
all_docs = {}
for path in sorted(HERE.rglob("*.yaml")):
    rel = path.relative_to(HERE)
    try:
        all_docs[rel] = documents(path)
    except yaml.YAMLError as e:
        check(False, f"{rel}: not YAML: {e}")
        continue
    for i, d in enumerate(all_docs[rel]):
        if d.get("kind") == "Kustomization":
            continue
        check(isinstance(d.get("apiVersion"), str) and isinstance(d.get("kind"), str)
              and isinstance((d.get("metadata") or {}).get("name"), str),
              f"{rel} document {i}: needs apiVersion, kind and metadata.name")

for rel, docs in all_docs.items():
    if rel.name == "kustomization.yaml":
        for resource in docs[0].get("resources", []):
            check((HERE / rel.parent / resource).is_file(), f"{rel}: resource {resource} does not exist")

# --- Strimzi: topics match the catalog --------------------------------------------------------
CATALOG = {  # TopicCatalog.clusterTopics(): name -> (partitions, configs that must hold)
    "vfo.device-events": (12, {"cleanup.policy": "delete", "retention.ms": -1, "retention.bytes": -1}),
    "vfo.requests": (12, {"cleanup.policy": "delete", "retention.ms": 604800000}),
    "vfo.coordinator-log": (12, {"cleanup.policy": "delete", "retention.ms": -1, "retention.bytes": -1}),
    "vfo.snapshots": (12, {"cleanup.policy": "compact", "delete.retention.ms": 86400000,
                           "min.compaction.lag.ms": 0}),
    "vfo.dead-letters": (3, {"cleanup.policy": "delete", "retention.ms": 31536000000}),
}
strimzi = [d for rel, docs in all_docs.items() if rel.parts[0] == "strimzi" and rel.name != "agent-host.example.yaml"
           for d in docs]
topics = {d["spec"]["topicName"]: d["spec"] for d in by_kind(strimzi, "KafkaTopic")}
check(set(topics) == set(CATALOG), f"strimzi topics {sorted(topics)} are not the catalog's {sorted(CATALOG)}")
for name, (partitions, configs) in CATALOG.items():
    spec = topics.get(name)
    if spec is None:
        continue
    check(spec.get("partitions") == partitions, f"{name}: {spec.get('partitions')} partitions, catalog says {partitions}")
    for key, value in configs.items():
        check(spec.get("config", {}).get(key) == value,
              f"{name}: {key}={spec.get('config', {}).get(key)!r}, catalog says {value!r}")


def acls(user):
    return user["spec"]["authorization"]["acls"]


def topic_acls(user, pattern=None):
    for acl in acls(user):
        r = acl["resource"]
        if r["type"] == "topic" and (pattern is None or r.get("patternType", "literal") == pattern):
            yield r["name"], set(acl["operations"])


users = {d["metadata"]["name"]: d for d in by_kind(strimzi, "KafkaUser")}
coordinator = users.get("vfo-coordinator")
if check(coordinator is not None, "strimzi: no KafkaUser vfo-coordinator"):
    for name, ops in topic_acls(coordinator, "literal"):
        check(name in topics, f"vfo-coordinator: ACL on topic {name}, which no KafkaTopic creates")
    prefixed = dict(topic_acls(coordinator, "prefix"))
    check("Write" in prefixed.get("vfo.commands.", set()), "vfo-coordinator: no prefixed Write on vfo.commands.")
    check("Read" not in prefixed.get("vfo.commands.", set()), "vfo-coordinator: must not read command topics")
    check(any(a["resource"]["type"] == "transactionalId" and "Write" in a["operations"] for a in acls(coordinator)),
          "vfo-coordinator: no transactionalId Write (the exactly-once loop needs it)")
    # At startup the coordinator describes every cluster topic's configs (TopicCreation.ensure).
    literal = dict(topic_acls(coordinator, "literal"))
    for name in CATALOG:
        check("DescribeConfigs" in literal.get(name, set()),
              f"vfo-coordinator: no DescribeConfigs on {name}: its startup topic check would be refused")
    check({"Create", "DescribeConfigs"} <= prefixed.get("vfo.commands.", set()),
          "vfo-coordinator: needs Create and DescribeConfigs on vfo.commands. (it creates a host's topic on demand)")

# --- per-host agent resources -----------------------------------------------------------------
script = HERE / "strimzi" / "agent-host.sh"
host = "hv-Rack3_07.example"
agent_docs = list(yaml.safe_load_all(subprocess.run([str(script), host], check=True, capture_output=True,
                                                    text=True).stdout))
agent_topic = by_kind(agent_docs, "KafkaTopic")[0]["spec"]
check(agent_topic["topicName"] == f"vfo.commands.{host}" and agent_topic["partitions"] == 1,
      f"agent-host.sh: command topic {agent_topic['topicName']} with {agent_topic['partitions']} partitions")
agent = by_kind(agent_docs, "KafkaUser")[0]
check(agent["metadata"]["name"] == "agent-hv-rack3-07-example", f"agent-host.sh: user {agent['metadata']['name']}")
for acl in acls(agent):
    check(acl["resource"].get("patternType", "literal") == "literal" or acl["resource"]["type"] == "cluster",
          f"agent-host.sh: non-literal ACL {acl['resource']}")
reads = [name for name, ops in topic_acls(agent) if "Read" in ops]
check(reads == [f"vfo.commands.{host}"], f"agent-host.sh: the agent reads {reads}, not only its own command topic")
writes = sorted(name for name, ops in topic_acls(agent) if "Write" in ops)
check(writes == ["vfo.dead-letters", "vfo.device-events"], f"agent-host.sh: the agent writes {writes}")
for bad in ("bad/host", "", "x" * 51):
    rc = subprocess.run([str(script), bad], capture_output=True).returncode
    check(rc == 2, f"agent-host.sh accepted host id {bad!r} (exit {rc})")
example = (HERE / "strimzi" / "agent-host.example.yaml").read_text(encoding="utf-8")
fresh = subprocess.run([str(script), "hv-rack3-07"], check=True, capture_output=True, text=True).stdout
check(example.split("\n", 1)[1] == fresh, "strimzi/agent-host.example.yaml is stale: regenerate it with agent-host.sh")

# --- the coordinator workload -----------------------------------------------------------------
k8s = [d for rel, docs in all_docs.items() if rel.parts[0] == "coordinator" for d in docs]
sts = by_kind(k8s, "StatefulSet")
if check(len(sts) == 1, "coordinator: expected one StatefulSet"):
    spec = sts[0]["spec"]
    pod = spec["template"]["spec"]
    check(spec["replicas"] >= 2, "coordinator: fewer than 2 replicas")
    check(spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items(),
          "coordinator: selector does not match the pod labels")
    check(pod.get("automountServiceAccountToken") is False, "coordinator: service account token mounted")
    check(pod["securityContext"].get("runAsNonRoot") is True, "coordinator: runAsNonRoot missing")
    c = pod["containers"][0]
    sc = c["securityContext"]
    check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False
          and sc.get("capabilities", {}).get("drop") == ["ALL"], "coordinator: container security context too loose")
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    for probe, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live")):
        get = c.get(probe, {}).get("httpGet", {})
        check(get.get("path") == path and get.get("port") in ports, f"coordinator: {probe} is not GET {path} on a named port")
    configmaps = {d["metadata"]["name"]: d["data"] for d in by_kind(k8s, "ConfigMap")}
    for source in c.get("envFrom", []):
        name = source.get("configMapRef", {}).get("name")
        if name:
            check(name in configmaps, f"coordinator: envFrom ConfigMap {name} is not defined")
            data = configmaps.get(name, {})
            check(int(data.get("VFO_HTTP_PORT", 8080)) == ports.get("http"),
                  "coordinator: VFO_HTTP_PORT differs from the container port")
            check(data.get("VFO_HTTP_HOST") == "0.0.0.0", "coordinator: API bound to loopback: probes cannot reach it")
            mounts = {m["mountPath"] for m in c["volumeMounts"]}
            for key in ("VFO_API_TOKEN_FILE", "VFO_KAFKA_SSL_KEYSTORE_LOCATION", "VFO_KAFKA_SSL_TRUSTSTORE_LOCATION"):
                path = data.get(key)
                check(path is not None and str(pathlib.PurePosixPath(path).parent) in mounts,
                      f"coordinator: {key}={path} is not inside a mounted volume")
    volumes = {v["name"] for v in pod["volumes"]}
    for m in c["volumeMounts"]:
        check(m["name"] in volumes, f"coordinator: volumeMount {m['name']} has no volume")
    services = by_kind(k8s, "Service")
    check(spec["serviceName"] in {s["metadata"]["name"] for s in services}, "coordinator: serviceName is not a Service")
    for s in services:
        check(s["spec"]["selector"].items() <= spec["template"]["metadata"]["labels"].items(),
              f"coordinator: Service {s['metadata']['name']} selects no coordinator pod")

# --- every VFO_ variable the manifests and images set is documented ----------------------------
reference = HERE.parent.parent / "docs" / "configuration.md"
if reference.is_file():
    documented = reference.read_text(encoding="utf-8")
    sources = [p for p in HERE.rglob("*.yaml")] + list((HERE.parent / "images").rglob("Dockerfile"))
    used = set()
    for source in sources:
        used |= set(re.findall(r"\bVFO_[A-Z0-9_]*[A-Z0-9]", source.read_text(encoding="utf-8")))
    for var in sorted(used):
        check(var.startswith("VFO_KAFKA") or f"`{var}`" in documented,
              f"{var} is set in deploy/ but not documented in docs/configuration.md")

# --- yamllint, when installed (Debian: yamllint) --------------------------------------------------
try:
    lint = subprocess.run(["yamllint", "-f", "parsable", "-c", str(HERE / ".yamllint"), str(HERE)],
                          capture_output=True, text=True)
    for line in lint.stdout.splitlines():
        check(False, f"yamllint: {line}")
    check(lint.returncode == 0 or lint.stdout, f"yamllint failed: {lint.stderr.strip()}")
except FileNotFoundError:
    print("yamllint not installed: style not checked (apt-get install yamllint)")

for f in failures:
    print("FAIL", f)
checked = sum(len(d) for d in all_docs.values())
print(f"{'FAILED' if failures else 'ok'}: {len(all_docs)} files, {checked} documents, {len(failures)} failures")
sys.exit(1 if failures else 0)
