# Sourced by count-instructions.sh and profile-time.sh: the build they profile and the
# reports they audit.

# Installs the Debian package $2 when the command $1 is missing, builds the binary (`bin`)
# and copies the first $4 reports into target/$3/$4 (`dir`).
profiling_prepare() {
  command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  profiling_binary
  dir="target/$3/$4"
  first_reports "$4" "$dir"
}

# Sets `bin`: $NIANBAO, or a release build with line tables (symbols for the profilers)
# in target/prof.
profiling_binary() {
  bin="${NIANBAO:-target/prof/release/nianbao}"
  if [ -z "${NIANBAO:-}" ]; then
    CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
      cargo build --release --quiet -p nianbao-cli --target-dir target/prof
  fi
}

# Copies the first $1 reports of the bench corpus (made if missing), or of the folder
# $REPORTS when set (the lab's different reports, say), into the folder $2, unless it
# holds them already.
first_reports() {
  local n="$1" dir="$2" from="${REPORTS:-target/bench-corpus/5000}"
  [ -n "${REPORTS:-}" ] || [ -d "$from" ] || scripts/bench-corpus.sh 5000 >/dev/null
  local stamp="$dir/../.$(basename "$dir").from"
  if [ ! -d "$dir" ] || [ "$(find "$dir" -type f | wc -l)" -ne "$n" ] \
    || [ "$(cat "$stamp" 2>/dev/null)" != "$from" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    local files
    mapfile -t files < <(find "$from" -type f | sort | head -n "$n")
    cp -t "$dir" "${files[@]}"
    echo "$from" >"$stamp"
  fi
}
