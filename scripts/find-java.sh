# Sourced by ./mycel, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm, then java on PATH.

mycel_java_major() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  echo "${v%%.*}"
}

mycel_find_java() {
  local candidate major best="" best_major=0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    major=$(mycel_java_major "$JAVA_HOME")
    if [[ "${major:-0}" -ge 21 ]]; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [[ -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major=$(mycel_java_major "$candidate")
    if [[ "${major:-0}" -ge 21 && "$major" -gt "$best_major" ]]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [[ -z "$best" ]] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(mycel_java_major "$candidate")
    if [[ "${major:-0}" -ge 21 ]]; then best="$candidate"; fi
  fi
  if [[ -z "$best" ]]; then
    echo "mycel: needs a JDK 21 or newer; none found in JAVA_HOME, /usr/lib/jvm or PATH." >&2
    echo "       Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

mycel_find_java
