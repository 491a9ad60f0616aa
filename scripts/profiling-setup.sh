# Sourced by count-instructions.sh and profile-time.sh: the build they profile and the
# reports they audit.

# Sets `bin`: $NIANBAO, or a release build with line tables (symbols for the profilers)
# in target/prof.
profiling_binary() {
  bin="${NIANBAO:-target/prof/release/nianbao}"
  if [ -z "${NIANBAO:-}" ]; then
    CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
      cargo build --release --quiet -p nianbao-cli --target-dir target/prof
  fi
}

# Copies the first $1 reports of the bench corpus (made if missing) into the folder $2,
# unless it holds them already.
first_reports() {
  local n="$1" dir="$2"
  [ -d target/bench-corpus/5000 ] || scripts/bench-corpus.sh 5000 >/dev/null
  if [ ! -d "$dir" ] || [ "$(find "$dir" -type f | wc -l)" -ne "$n" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    local files
    mapfile -t files < <(find target/bench-corpus/5000 -type f | sort | head -n "$n")
    cp -t "$dir" "${files[@]}"
  fi
}
