# Sourced by ./vxswitch and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or exits with advice.
# Order: $JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*.

vxs_java_major() { # $1 = path to a java binary; prints its feature version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

vxs_is_jdk25() { # $1 = a JDK home
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(vxs_java_major "$1/bin/java")
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}

vxs_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && vxs_is_jdk25 "$JAVA_HOME"; then return 0; fi
  if command -v java >/dev/null 2>&1; then
    local home; home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if vxs_is_jdk25 "$home"; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
  fi
  local d
  for d in /usr/lib/jvm/*; do
    if vxs_is_jdk25 "$d"; then JAVA_HOME=$d; export JAVA_HOME; return 0; fi
  done
  echo "vxswitch: no JDK 25 found (looked at \$JAVA_HOME${JAVA_HOME:+=$JAVA_HOME}, java on PATH, /usr/lib/jvm/*)." >&2
  echo "          Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
}

vxs_find_jdk
