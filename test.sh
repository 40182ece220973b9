#!/usr/bin/env bash
# The README's test command: every unit, property, snapshot, CLI and end-to-end test.
# The release binary is built first because the real-terminal tests drive it.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
cargo test "$@"
