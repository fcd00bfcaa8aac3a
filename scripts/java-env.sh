# Sourced by ./gangway and scripts/test: picks a JDK 25 or newer, or says how to get one.
gangway_find_java() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
        /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64; do
        if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && gangway_java_ok "$candidate/bin/java"; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    if command -v java >/dev/null 2>&1 && gangway_java_ok java; then
        JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
        export JAVA_HOME
        return 0
    fi
    echo "gangway: no JDK 25 or newer found; install one (e.g. Temurin 25) and set JAVA_HOME to it" >&2
    return 2
}

gangway_java_ok() {
    local major
    major=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [ -n "$major" ] && [ "${major%%.*}" -ge 25 ]
}
