# Sourced by ./tensorinit, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, then the usual install folders, then `java` on the PATH.
# The default java on these machines is 17, so we must look beside it.
tensorinit_jdk_version() { # sets tensorinit_jdk_v to the feature version of the JDK at $1, or to nothing
  tensorinit_jdk_v=""
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  # The JDK's release file (JAVA_VERSION="25.0.3") answers without starting a JVM, which costs 0.1 s of every run;
  # read with the shell's own read (no sed, head or subshell: each fork cost a run 2-3 ms here).
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in JAVA_VERSION=\"[0-9]*)
        line=${line#JAVA_VERSION=\"}
        tensorinit_jdk_v=${line%%[!0-9]*}
        break ;;
      esac
    done < "$1/release"
  fi
  if [ -z "$tensorinit_jdk_v" ]; then
    tensorinit_jdk_v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  fi
  return 0
}
tensorinit_find_jdk() { # (HOME may be unset: cron, systemd units, env -i; the callers run under set -u)
  local c v tried="" path_java
  # The `java` on the PATH last, and its folder worked out only when no other candidate is a JDK 25 (three forks).
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/temurin-2[5-9]* \
           /usr/lib/jvm/java-2[5-9]-openjdk* /usr/lib/jvm/jdk-2[5-9]* /opt/java/openjdk /opt/jdk-2[5-9]* \
           "${HOME:-/nonexistent}"/.sdkman/candidates/java/2[5-9]* @path; do
    if [ "$c" = @path ]; then
      path_java=$(command -v java 2>/dev/null) || continue
      c="$(dirname "$(dirname "$(readlink -f "$path_java")")")"
    fi
    [ -n "$c" ] && [ -d "$c" ] || continue
    tensorinit_jdk_version "$c"
    v=$tensorinit_jdk_v
    tried="$tried $c(${v:-not a JDK})"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME="$c"; return 0; fi
  done
  echo "tensorinit needs JDK 25 or newer (for the Vector API and FFM). Looked at:$tried" >&2
  echo "Install one (e.g. Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}
tensorinit_find_jdk
