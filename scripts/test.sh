#!/usr/bin/env bash
# Runs every test of travaux, the browser test included. That test drives Debian's headless
# Chromium through ChromeDriver; when either is missing it is installed first (apt-get, as root or
# through sudo). Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "installing Debian's chromium and chromium-driver for the browser test" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
exec cargo test --locked "$@"
