# Shared by bench/run-all.sh and bench/parts/*.sh (sourced, not run).
# Builds the packaged gateway and the bench classes once, then runs a bench main class with them.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$BENCH_ROOT"

if [[ -z "${JAVA_HOME:-}" ]]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [[ -x "$candidate/bin/java" ]]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# Builds gatehouse.jar and the bench module, and writes the bench classpath (skipped when
# run-all.sh already did it in this run).
bench_build() {
  if [[ "${GATEHOUSE_BENCH_BUILT:-}" == "1" ]]; then return; fi
  echo "bench: building gatehouse.jar and the bench classes" >&2
  # The jar plugin keeps a jar it finds up to date with the gateway's own classes, and the Spring Boot
  # repackager then skips it too, so changes in the modules it bundles would never reach it.
  rm -f gateway/target/gatehouse.jar gateway/target/gatehouse.jar.original
  ./mvnw -q -DskipTests -Dspotless.check.skip=true -Dspotless.apply.skip=true \
    -pl gateway,bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
  export GATEHOUSE_BENCH_BUILT=1
}

bench_java() {
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$@"
}

# Installs Debian packages a part needs when they are missing (as root, from the package registry).
bench_require_debian() {
  local missing=()
  for pair in "$@"; do
    local cmd="${pair%%:*}" pkg="${pair##*:}"
    command -v "$cmd" >/dev/null 2>&1 || [[ -x "/usr/sbin/$cmd" ]] || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "bench: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  fi
}
