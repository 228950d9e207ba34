#!/usr/bin/env bash
# Installs everything ANN Lab needs to run and to be tested. Safe to run again:
# each step checks what is already there and skips itself.
#
#   PYTHON        interpreter for the virtual environment (default python3)
#   TORCH_SPEC    pip requirement(s) for PyTorch (default torch==2.14.1 torchvision==0.29.1)
#   ANNLAB_SKIP_APT=1  never call apt-get (install the Debian packages yourself)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
TORCH_SPEC="${TORCH_SPEC:-torch==2.14.1 torchvision==0.29.1}"
VENV="$ROOT/.venv"
DEBIAN_PACKAGES=(chromium dataset-fashion-mnist wordnet-base wordnet-sense-index)

log() { printf '[setup] %s\n' "$*"; }

install_debian_packages() {
  if [[ "${ANNLAB_SKIP_APT:-0}" == 1 ]] || ! command -v dpkg-query >/dev/null; then
    return
  fi
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
      missing+=("$package")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      log "Missing Debian packages: ${missing[*]}; install them as root, then run again."
      return
    fi
  fi
  log "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_python() {
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "Creating the virtual environment in .venv"
    "$PYTHON" -m venv "$VENV"
  fi
  if ! "$VENV/bin/python" -c "import torch, torchvision" 2>/dev/null; then
    log "Installing $TORCH_SPEC"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install --quiet $TORCH_SPEC
  fi
  local stamp="$VENV/.annlab-installed" digest
  digest="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$digest" ]]; then
    log "Installing the annlab package and its test tools"
    "$VENV/bin/pip" install --quiet -e ".[dev]"
    echo "$digest" > "$stamp"
  fi
}

install_frontend() {
  local stamp="frontend/node_modules/.annlab-installed" digest
  digest="$(sha256sum frontend/package-lock.json | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$digest" ]]; then
    log "Installing frontend packages (npm ci)"
    npm --prefix frontend ci --no-audit --no-fund --loglevel=error
    echo "$digest" > "$stamp"
  fi
  log "Building the frontend"
  npm --prefix frontend run build --silent >/dev/null
}

install_wordnet() {
  # Builds data/nltk_data/corpora/wordnet from Debian's WordNet packages (or
  # NLTK's downloader where they are missing). Without it, the BigGAN lesson
  # still resolves class names and synonyms.
  if ! "$VENV/bin/python" -m annlab.engines.biggan.wordnet_setup; then
    log "WordNet set-up failed; the BigGAN lesson will match class names only."
  fi
}

install_debian_packages
install_python
install_frontend
install_wordnet
log "Ready"
