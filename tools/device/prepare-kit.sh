#!/usr/bin/env bash
# Builds .devkit/ (git-ignored) in the repo root: everything the GPU machine
# lacks to build the Qt-free project, copied from this Debian machine.
#
#   .devkit/include/{nlohmann,CLI,spdlog,fmt}   header-only libraries
#   .devkit/src/googletest                       sources; cuda-check.sh builds them there
#   .devkit/lib/cmake/<Pkg>/<Pkg>Config.cmake    minimal package configs, so the
#       project's unchanged find_package(spdlog), find_package(nlohmann_json 3.10)
#       and find_package(CLI11) succeed with CMAKE_PREFIX_PATH=<repo>/.devkit
#
# spdlog is used header-only (no SPDLOG_COMPILED_LIB, so spdlog/common.h defines
# SPDLOG_HEADER_ONLY itself) over an external header-only fmt (SPDLOG_FMT_EXTERNAL,
# as Debian's spdlog/tweakme.h also sets, plus FMT_HEADER_ONLY): nothing to link.
#
# Usage: tools/device/prepare-kit.sh      (then carry .devkit to the device)
set -euo pipefail
cd "$(dirname "$0")/../.."
kit=.devkit

for d in /usr/include/nlohmann /usr/include/CLI /usr/include/spdlog /usr/include/fmt /usr/src/googletest; do
  [ -d "$d" ] || { echo "missing $d (apt-get install nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev googletest)" >&2; exit 1; }
done

define_of() {  # header, macro -> value
  sed -n "s/^#[[:space:]]*define[[:space:]]\+$2[[:space:]]\+\([0-9]\+\).*/\1/p" "$1" | head -n1
}
json_version="$(define_of /usr/include/nlohmann/detail/abi_macros.hpp NLOHMANN_JSON_VERSION_MAJOR).$(define_of /usr/include/nlohmann/detail/abi_macros.hpp NLOHMANN_JSON_VERSION_MINOR).$(define_of /usr/include/nlohmann/detail/abi_macros.hpp NLOHMANN_JSON_VERSION_PATCH)"
cli_version="$(define_of /usr/include/CLI/Version.hpp CLI11_VERSION_MAJOR).$(define_of /usr/include/CLI/Version.hpp CLI11_VERSION_MINOR).$(define_of /usr/include/CLI/Version.hpp CLI11_VERSION_PATCH)"
spdlog_version="$(define_of /usr/include/spdlog/version.h SPDLOG_VER_MAJOR).$(define_of /usr/include/spdlog/version.h SPDLOG_VER_MINOR).$(define_of /usr/include/spdlog/version.h SPDLOG_VER_PATCH)"
fmt_num="$(define_of /usr/include/fmt/core.h FMT_VERSION)"
fmt_version="$((fmt_num / 10000)).$((fmt_num / 100 % 100)).$((fmt_num % 100))"
for v in "$json_version" "$cli_version" "$spdlog_version" "$fmt_version"; do
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "could not read a library version ($v)" >&2; exit 1; }
done

rm -rf "$kit"
mkdir -p "$kit/include" "$kit/src" "$kit/lib/cmake"
cp -a /usr/include/nlohmann /usr/include/CLI /usr/include/spdlog /usr/include/fmt "$kit/include/"
# googletest without its own test suites and docs (not built, only weight).
cp -a /usr/src/googletest "$kit/src/googletest"
rm -rf "$kit/src/googletest/googletest/test" "$kit/src/googletest/googlemock/test" \
       "$kit/src/googletest/googletest/docs" "$kit/src/googletest/googlemock/docs" \
       "$kit/src/googletest/googletest/samples"

# <Pkg>ConfigVersion.cmake: compatible when the major versions match and ours is not older.
write_version() {  # pkg, version
  cat >"$kit/lib/cmake/$1/$1ConfigVersion.cmake" <<VER
# Written by tools/device/prepare-kit.sh (same-major-version rule).
set(PACKAGE_VERSION "$2")
set(PACKAGE_VERSION_COMPATIBLE FALSE)
if(NOT PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(PACKAGE_FIND_VERSION_MAJOR STREQUAL "${2%%.*}" AND NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
VER
}

# Common head: the kit's root, from this file's place (.devkit/lib/cmake/<Pkg>/).
prefix_snippet='get_filename_component(_devkit_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)'

mkdir -p "$kit/lib/cmake/nlohmann_json" "$kit/lib/cmake/CLI11" "$kit/lib/cmake/spdlog" "$kit/lib/cmake/fmt"

cat >"$kit/lib/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" <<CFG
# Minimal nlohmann_json config (header-only), written by tools/device/prepare-kit.sh.
$prefix_snippet
if(NOT TARGET nlohmann_json::nlohmann_json)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "\${_devkit_prefix}/include"
    INTERFACE_COMPILE_FEATURES "cxx_std_11")
endif()
set(nlohmann_json_VERSION "$json_version")
set(nlohmann_json_FOUND TRUE)
CFG
write_version nlohmann_json "$json_version"

cat >"$kit/lib/cmake/CLI11/CLI11Config.cmake" <<CFG
# Minimal CLI11 config (header-only), written by tools/device/prepare-kit.sh.
$prefix_snippet
if(NOT TARGET CLI11::CLI11)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  set_target_properties(CLI11::CLI11 PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "\${_devkit_prefix}/include"
    INTERFACE_COMPILE_FEATURES "cxx_std_11")
endif()
set(CLI11_VERSION "$cli_version")
set(CLI11_FOUND TRUE)
CFG
write_version CLI11 "$cli_version"

cat >"$kit/lib/cmake/fmt/fmtConfig.cmake" <<CFG
# Minimal fmt config: header-only only (FMT_HEADER_ONLY), written by tools/device/prepare-kit.sh.
# fmt::fmt is the header-only target too, so nothing ever needs libfmt.so.
$prefix_snippet
if(NOT TARGET fmt::fmt-header-only)
  add_library(fmt::fmt-header-only INTERFACE IMPORTED)
  set_target_properties(fmt::fmt-header-only PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "\${_devkit_prefix}/include"
    INTERFACE_COMPILE_DEFINITIONS "FMT_HEADER_ONLY=1")
endif()
if(NOT TARGET fmt::fmt)
  add_library(fmt::fmt INTERFACE IMPORTED)
  set_target_properties(fmt::fmt PROPERTIES INTERFACE_LINK_LIBRARIES "fmt::fmt-header-only")
endif()
set(fmt_VERSION "$fmt_version")
set(fmt_FOUND TRUE)
CFG
write_version fmt "$fmt_version"

cat >"$kit/lib/cmake/spdlog/spdlogConfig.cmake" <<CFG
# Minimal spdlog config, written by tools/device/prepare-kit.sh: spdlog
# header-only (SPDLOG_COMPILED_LIB is not defined, so spdlog/common.h defines
# SPDLOG_HEADER_ONLY) over external header-only fmt. Nothing to link.
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(fmt CONFIG PATHS "\${CMAKE_CURRENT_LIST_DIR}/.." NO_DEFAULT_PATH)
$prefix_snippet
if(NOT TARGET spdlog::spdlog_header_only)
  add_library(spdlog::spdlog_header_only INTERFACE IMPORTED)
  set_target_properties(spdlog::spdlog_header_only PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "\${_devkit_prefix}/include"
    INTERFACE_COMPILE_DEFINITIONS "SPDLOG_FMT_EXTERNAL"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;fmt::fmt-header-only")
endif()
if(NOT TARGET spdlog::spdlog)
  add_library(spdlog::spdlog INTERFACE IMPORTED)
  set_target_properties(spdlog::spdlog PROPERTIES INTERFACE_LINK_LIBRARIES "spdlog::spdlog_header_only")
endif()
set(spdlog_VERSION "$spdlog_version")
set(spdlog_FOUND TRUE)
CFG
write_version spdlog "$spdlog_version"

cat >"$kit/VERSIONS" <<TXT
nlohmann_json $json_version
CLI11 $cli_version
spdlog $spdlog_version (header-only)
fmt $fmt_version (header-only)
googletest $(dpkg-query -W -f='${Version}' googletest 2>/dev/null || echo unknown)
TXT
echo "built $kit ($(du -sh "$kit" | cut -f1)):"
sed 's/^/  /' "$kit/VERSIONS"
