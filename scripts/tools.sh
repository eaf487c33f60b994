#!/usr/bin/env bash
# Installs what building the portal needs, skipping whatever is already there. Everything comes
# from the package registries (crates.io, npm, Debian): nothing is downloaded from elsewhere.
# Sourced by scripts/run and scripts/test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
CARGO_LEPTOS_VERSION=0.3.10

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

ensure_build_tools() {
  cd "$ROOT"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    say "Adding clippy"
    rustup component add clippy
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes on 2 cores, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  # wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
  local wb
  wb="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    say "Installing wasm-bindgen-cli $wb"
    # No --locked: its lock file names a webpki-roots version the registry does not serve.
    cargo install wasm-bindgen-cli --version "$wb"
  fi
  if [ ! -d node_modules/nhsuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm packages (NHS.UK frontend, sass, binaryen, test kit)"
    npm ci --no-audit --no-fund
  fi
  build_styles
}

# The stylesheet: sass compiles style/main.scss, then PurgeCSS keeps only the rules whose
# classes the portal's views use (style/purgecss.config.cjs); cargo-leptos minifies the result
# (its style-file). A few seconds; done before every build, so it always matches the sources.
build_styles() {
  mkdir -p "$ROOT/target/style/all"
  (cd "$ROOT" && sass --no-source-map --quiet style/main.scss target/style/all/portal.css && purgecss --config style/purgecss.config.cjs)
}

# The independent FHIR R4 validator the tests use (PyPI fhir.resources), not the portal's own types.
ensure_fhir_validator() {
  if ! python3 -c 'import fhir.resources' >/dev/null 2>&1; then
    say "Installing fhir.resources (an independent FHIR R4 model library, from PyPI)"
    python3 -m pip install -q --disable-pip-version-check "fhir.resources>=8,<9"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Debian's Chromium for the browser tests"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
  fi
}

# A PostgreSQL cluster of its own in a temporary folder, on a free port, for one test run.
# Exports TEST_POSTGRES_URL; returns non-zero when PostgreSQL's server programs are not installed.
# Server settings come from PG_OPTIONS (default: fsync off, as tests need no durability).
PG_DIR=""
start_throwaway_postgres() {
  local pg_bin=""
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"
  else
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || return 1
  PG_BIN="$pg_bin"
  PG_DIR="$(mktemp -d -t scr-portal-pg.XXXXXX)"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  PG_RUN_AS=()
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL will not run as root: run the throwaway cluster as the postgres (or nobody) user.
    local user
    user="$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)"
    chown "$user" "$PG_DIR"
    PG_RUN_AS=(runuser -u "$user" --)
  fi
  say "Starting a throwaway PostgreSQL cluster on port $port"
  "${PG_RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-instructions >/dev/null
  "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 ${PG_OPTIONS:--c fsync=off}" start >/dev/null
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_throwaway_postgres() {
  [ -n "$PG_DIR" ] || return 0
  "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
