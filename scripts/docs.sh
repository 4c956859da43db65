#!/usr/bin/env bash
# Builds the documentation site into artifacts/docs: the pages under docs/, the API reference (artifacts/docs/api/)
# from the XML docs of the public libraries, the TypeScript SDK's reference (TypeDoc) and the onboarding API's
# (Redoc), with DocFX pinned in .config/dotnet-tools.json. Warnings are errors, so a broken cross-reference or a
# missing page fails the build. With --serve, serves the built site on 127.0.0.1.
#   scripts/docs.sh [--serve] [--port N] [--no-build]
# --no-build skips building the libraries (the test suite has just built the solution).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

serve=false
build_libraries=true
port=8080
while (($# > 0)); do
  case "$1" in
    --serve) serve=true ;;
    --no-build) build_libraries=false ;;
    --port) port="${2:?docs.sh: --port needs a number}"; shift ;;
    *) echo "docs.sh: unknown option '$1' (expected --serve, --port N or --no-build)" >&2; exit 1 ;;
  esac
  shift
done

# The libraries whose XML docs make the API reference; docs/docfx.json lists the same assemblies.
libraries=(
  engine/Infra.Engine/Infra.Engine.csproj
  engine/Infra.Testing/Infra.Testing.csproj
  policies/Infra.Policies/Infra.Policies.csproj
  components/Infra.Components/Infra.Components.csproj
  components/Infra.Components.Kubernetes/Infra.Components.Kubernetes.csproj
  components/Infra.Backups/Infra.Backups.csproj
  components/Infra.Tenancy/Infra.Tenancy.csproj
)
if [[ "${build_libraries}" == true ]]; then
  for project in "${libraries[@]}"; do
    dotnet build "${project}" -c Release --nologo -v quiet -tl:off >/dev/null
  done
fi

dotnet tool restore >/dev/null
rm -rf docs/api docs/sdk-reference docs/openapi/redoc.standalone.js docs/openapi/v1.js artifacts/docs

# Generated into docs/ before DocFX runs, so DocFX checks every link to them (git ignores them):
#   docs/sdk-reference/typescript/  the TypeScript SDK's reference, by TypeDoc (warnings are errors here too);
#   docs/openapi/redoc.standalone.js and v1.js  what docs/openapi/reference.html shows the onboarding API with.
tools=scripts/docs-site
if [[ ! -d "${tools}/node_modules/typedoc" ]]; then
  npm ci --prefix "${tools}" --no-audit --no-fund --silent
fi
(cd "${tools}" && npx --no-install typedoc --out ../../docs/sdk-reference/typescript --logLevel Warn)
cp "${tools}/node_modules/redoc/bundles/redoc.standalone.js" docs/openapi/
{ printf 'window.onboardingApi = '; cat docs/openapi/v1.json; printf ';\n'; } > docs/openapi/v1.js

dotnet tool run docfx metadata docs/docfx.json --warningsAsErrors
dotnet tool run docfx build docs/docfx.json --warningsAsErrors

echo "docs: artifacts/docs/index.html"
if [[ "${serve}" == true ]]; then
  exec dotnet tool run docfx serve artifacts/docs --hostname 127.0.0.1 --port "${port}"
fi
