#!/usr/bin/env bash
# The deployment files and the API reference, checked without a container runtime:
#  - docs/openapi.yaml is valid OpenAPI 3 (its match with the router is a Swift test);
#  - deploy/compose.yaml and the Kubernetes manifests parse as YAML, with the services and kinds
#    the docs promise;
#  - the Dockerfile's build stage builds with the README's build command.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 - <<'PY'
import sys, yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

spec, _ = read_from_filename("docs/openapi.yaml")
validate(spec)
print(f"docs/openapi.yaml: valid OpenAPI {spec['openapi']}, {len(spec['paths'])} paths", file=sys.stderr)

with open("deploy/compose.yaml") as f:
    compose = yaml.safe_load(f)
missing = {"postgres", "coordinator", "worker"} - set(compose["services"])
assert not missing, f"deploy/compose.yaml lacks services {missing}"

with open("deploy/kubernetes/seismo.yaml") as f:
    documents = [d for d in yaml.safe_load_all(f) if d]
kinds = sorted(f"{d['kind']}/{d['metadata']['name']}" for d in documents)
expected = ["Deployment/seismo-coordinator", "Deployment/seismo-worker", "Service/seismo-coordinator"]
assert kinds == expected, f"deploy/kubernetes/seismo.yaml has {kinds}, expected {expected}"
print(f"deploy/compose.yaml and deploy/kubernetes/seismo.yaml parse ({', '.join(kinds)})", file=sys.stderr)
PY

grep -q "swift build -c release --product seismo" README.md || { echo "README lost its build command" >&2; exit 1; }
grep -q "RUN swift build -c release --product seismo" deploy/Dockerfile \
  || { echo "deploy/Dockerfile does not build with the README's command (swift build -c release --product seismo)" >&2; exit 1; }
echo "deploy/Dockerfile builds with the README's command" >&2
