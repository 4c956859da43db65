#!/usr/bin/env bash
# Builds the Java plugin SDK and its examples with javac and jar (JDK 17; Jackson from Debian's
# libjackson2-databind-java under /usr/share/java), and runs the SDK's tests: `build.sh` or `build.sh test`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jackson=/usr/share/java/jackson-databind.jar:/usr/share/java/jackson-core.jar:/usr/share/java/jackson-annotations.jar
for jar in ${jackson//:/ }; do
  [[ -f "${jar}" ]] || { echo "build.sh: ${jar} is missing; run scripts/install.sh (libjackson2-databind-java)." >&2; exit 1; }
done
build="${here}/build"
rm -rf "${build}" && mkdir -p "${build}/classes/sdk" "${build}/classes/test"

javac --release 17 -Xlint:all -Werror -cp "${jackson}" -d "${build}/classes/sdk" $(find "${here}/src/main/java" -name '*.java')
jar --create --file "${build}/infra-plugin-sdk.jar" -C "${build}/classes/sdk" .

for example in "${here}"/examples/*/; do
  name="$(basename "${example}")"
  rm -rf "${example}build" && mkdir -p "${example}build/classes"
  javac --release 17 -Xlint:all -Werror -cp "${build}/infra-plugin-sdk.jar:${jackson}" -d "${example}build/classes" $(find "${example}src/main/java" -name '*.java')
  jar --create --file "${example}build/${name}.jar" -C "${example}build/classes" .
done

if [[ "${1:-}" == "test" ]]; then
  javac --release 17 -cp "${build}/infra-plugin-sdk.jar:${jackson}" -d "${build}/classes/test" $(find "${here}/src/test/java" -name '*.java')
  java -cp "${build}/classes/test:${build}/infra-plugin-sdk.jar:${jackson}" dev.infra.plugin.PluginServerTest
fi
