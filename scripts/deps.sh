# Sourced by scripts/demo.sh, scripts/test.sh and .ci/run: the one list of
# Debian 12 packages mojifix needs, and a function that installs the missing
# ones. Nothing else is downloaded at build or run time.

MOJIFIX_APT_PACKAGES=(
  build-essential cmake pkg-config
  libicu-dev libuchardet-dev
  googletest libgtest-dev
  libbenchmark-dev libcli11-dev libsimdjson-dev
  libopencc-dev  # only the OpenCC baseline in bench/ uses it; optional there
  unicode-data
)
# Only CI's format check and the libFuzzer build (MOJIFIX_FUZZ=ON) need these.
MOJIFIX_APT_PACKAGES_CI=(clang-format)
MOJIFIX_APT_PACKAGES_FUZZ=(clang libclang-rt-14-dev)

# Installs those of the given packages (default: MOJIFIX_APT_PACKAGES) that are
# missing; runs apt-get update once, and only when something is missing, so a
# machine that has everything is not touched.
mojifix_install_deps() {
  local wanted=("$@")
  [ ${#wanted[@]} -gt 0 ] || wanted=("${MOJIFIX_APT_PACKAGES[@]}")
  local missing=() p
  for p in "${wanted[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing: ${missing[*]}" >&2
  if [ -z "${MOJIFIX_APT_UPDATED:-}" ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    export MOJIFIX_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configures and builds the Release tree in build/ with every core.
mojifix_build_release() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j"$(nproc)"
}
