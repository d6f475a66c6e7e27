# Sourced (POSIX sh) by ./mvnw and ./gatehouse: makes JAVA_HOME name a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, the `java` on PATH if it is 21+, else the newest JDK 21+ under
# /usr/lib/jvm, /usr/local and /opt. Without one it says what to install and fails.
gatehouse_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

gatehouse_jdk_major() {
  # a JDK (java and javac), printing its major version, or nothing
  if [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ]; then
    gatehouse_java_major "$1"
  fi
}

gatehouse_select_jdk() {
  gatehouse_found=""
  if [ -n "${JAVA_HOME-}" ]; then
    gatehouse_m=$(gatehouse_jdk_major "$JAVA_HOME")
    if [ -n "$gatehouse_m" ] && [ "$gatehouse_m" -ge 21 ]; then
      return 0
    fi
  fi
  gatehouse_path_java=$(command -v java 2>/dev/null || true)
  if [ -n "$gatehouse_path_java" ]; then
    gatehouse_home=$(dirname "$(dirname "$(readlink -f "$gatehouse_path_java")")")
    gatehouse_m=$(gatehouse_jdk_major "$gatehouse_home")
    if [ -n "$gatehouse_m" ] && [ "$gatehouse_m" -ge 21 ]; then
      gatehouse_found="$gatehouse_home"
    fi
  fi
  if [ -z "$gatehouse_found" ]; then
    gatehouse_best=0
    # the callers may run with globbing off (mvnw: set -f); the candidates need it
    case $- in *f*) gatehouse_noglob=1; set +f ;; *) gatehouse_noglob=0 ;; esac
    for gatehouse_c in /usr/lib/jvm/* /usr/local/*jdk* /opt/*jdk* /opt/java/*; do
      [ -d "$gatehouse_c" ] || continue
      gatehouse_m=$(gatehouse_jdk_major "$gatehouse_c")
      if [ -n "$gatehouse_m" ] && [ "$gatehouse_m" -ge 21 ] && [ "$gatehouse_m" -gt "$gatehouse_best" ]; then
        gatehouse_best=$gatehouse_m
        gatehouse_found="$gatehouse_c"
      fi
    done
    [ "$gatehouse_noglob" = 0 ] || set -f
  fi
  if [ -z "$gatehouse_found" ]; then
    echo "gatehouse needs a JDK 21 or newer and found none (JAVA_HOME, PATH, /usr/lib/jvm);" \
      "install one, e.g. \`apt-get install openjdk-21-jdk-headless\` or Eclipse Temurin 21," \
      "or point JAVA_HOME at it" >&2
    return 1
  fi
  JAVA_HOME="$gatehouse_found"
  export JAVA_HOME
}
