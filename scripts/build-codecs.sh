#!/usr/bin/env bash
# Builds the picture decoders the browser worker runs (codecs/ -> src/decode/wasm/*.wasm): libjpeg-turbo's and
# libwebp's own decoders, from upstream release tarballs pinned by SHA-256 (fetched from Debian's archive, which
# keeps the upstream tarballs byte for byte), compiled with Debian's clang for wasm32-wasi. Same code as the
# libraries sharp uses in Node, so browsers and the CLI get the same pixels. Rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=build/codec-sources
OUT=src/decode/wasm
ARCHIVE=http://deb.debian.org/debian/pool/main
LIBJPEG_TURBO=(libjpeg-turbo-2.1.5 "$ARCHIVE/libj/libjpeg-turbo/libjpeg-turbo_2.1.5.orig.tar.gz" 254f3642b04e309fee775123133c6464181addc150499561020312ec61c1bf7c)
LIBWEBP=(libwebp-1.6.0 "$ARCHIVE/libw/libwebp/libwebp_1.6.0.orig.tar.gz" e4ab7009bf0629fd11982d4c2aa83964cf244cffba7347ecd39019a9e38c4564)
WASI_BUILTINS=/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a
TOOLCHAIN_PACKAGES="clang lld wasi-libc libclang-rt-14-dev-wasm32"

ensure_toolchain() {
  if command -v clang >/dev/null && command -v wasm-ld >/dev/null && [ -f /usr/lib/wasm32-wasi/libc.a ] && [ -f "$WASI_BUILTINS" ]; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # The browser tests install their browsers the same way; flock keeps two installs from meeting at dpkg's lock.
    flock /tmp/ncii-hasher-apt.lock sh -c "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends $TOOLCHAIN_PACKAGES" >&2
    return
  fi
  echo "Building the WASM decoders needs Debian's clang for wasm32-wasi. Install it with:" >&2
  echo "  sudo apt-get install -y $TOOLCHAIN_PACKAGES" >&2
  exit 1
}

# fetch NAME URL SHA256 PATCH...: unpacks the verified tarball into $SOURCES/NAME and applies our patches
# (codecs/*/*.patch), again whenever a patch changes.
fetch() {
  local name=$1 url=$2 sha=$3 tarball="$SOURCES/$(basename "$2")"
  shift 3
  local stamp="$SOURCES/$name.patched"
  if [ -d "$SOURCES/$name" ] && [ -f "$stamp" ] && { [ $# -eq 0 ] || [ -z "$(find "$@" -newer "$stamp" -print -quit)" ]; }; then
    return
  fi
  rm -rf "${SOURCES:?}/$name" "$stamp"
  mkdir -p "$SOURCES"
  if [ ! -f "$tarball" ] || ! echo "$sha  $tarball" | sha256sum -c --quiet - 2>/dev/null; then
    curl -fsSL --retry 3 -o "$tarball.part" "$url"
    echo "$sha  $tarball.part" | sha256sum -c --quiet - || { echo "checksum mismatch for $url" >&2; exit 1; }
    mv "$tarball.part" "$tarball"
  fi
  tar -xzf "$tarball" -C "$SOURCES"
  local patch
  for patch in "$@"; do git apply -p1 --unsafe-paths --directory="$SOURCES/$name" "$patch"; done
  touch "$stamp"
}

# Newer than every input? Then there is nothing to do.
up_to_date() {
  local target=$1; shift
  [ -f "$target" ] || return 1
  [ -z "$(find "$@" -newer "$target" -print -quit)" ]
}

# link OUTPUT OBJECTS...: a module with no entry point that exports what the glue marks with export_name.
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -msimd128 -DNDEBUG -ffile-prefix-map="$PWD"=.)
link() {
  local output=$1; shift
  clang --target=wasm32-wasi --sysroot=/usr -nostartfiles -Wl,--no-entry -Wl,--strip-all -Wl,-z,stack-size=1048576 \
    -Wl,--initial-memory=2097152 -o "$output" "$@" "$WASI_BUILTINS"
}

build_jpeg() {
  local src="$SOURCES/${LIBJPEG_TURBO[0]}" target="$OUT/jpeg.wasm"
  up_to_date "$target" codecs/jpeg codecs/host.h "$SOURCES/${LIBJPEG_TURBO[0]}.patched" "$0" && return
  local files=(jaricom jcomapi jdapimin jdapistd jdarith jdatasrc jdcoefct jdcolor jddctmgr jdhuff jdinput jdmainct
    jdmarker jdmaster jdmerge jdphuff jdpostct jdsample jerror jidctflt jidctfst jidctint jidctred jmemmgr jmemnobs
    jquant1 jquant2 jsimd_none jutils)
  local objects=() pids=() dir=build/codec-objects/jpeg
  mkdir -p "$dir"
  for file in "${files[@]}"; do
    clang "${CFLAGS[@]}" -DNO_GETENV -DNO_PUTENV -Icodecs/jpeg -I"$src" -c "$src/$file.c" -o "$dir/$file.o" &
    pids+=($!)
    objects+=("$dir/$file.o")
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  clang "${CFLAGS[@]}" -Icodecs/jpeg -I"$src" -c codecs/jpeg/decode.c -o "$dir/decode.o"
  link "$target" "$dir/decode.o" "${objects[@]}"
}

build_webp() {
  local src="$SOURCES/${LIBWEBP[0]}" target="$OUT/webp.wasm"
  up_to_date "$target" codecs/webp codecs/host.h "$SOURCES/${LIBWEBP[0]}.patched" "$0" && return
  # libwebp's decoding library (its Makefile's libwebpdecode): the SIMD variants compile to nothing on wasm32.
  local files=("$src"/src/dec/*.c "$src"/src/utils/*.c "$src"/src/dsp/*.c)
  local objects=() pids=() dir=build/codec-objects/webp file
  mkdir -p "$dir"
  for file in "${files[@]}"; do
    case "$file" in *_enc*|*/enc*.c|*/cost*.c|*/ssim*.c|*/quant_levels_utils.c|*/huffman_encode_utils.c|*/bit_writer_utils.c) continue ;; esac
    local object="$dir/$(basename "$(dirname "$file")")-$(basename "$file" .c).o"
    clang "${CFLAGS[@]}" -I"$src" -I"$src/src" -c "$file" -o "$object" &
    pids+=($!)
    objects+=("$object")
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  clang "${CFLAGS[@]}" -I"$src/src" -c codecs/webp/decode.c -o "$dir/decode.o"
  link "$target" "$dir/decode.o" "${objects[@]}"
}

mkdir -p "$OUT"
ensure_toolchain
fetch "${LIBJPEG_TURBO[@]}" codecs/jpeg/*.patch
build_jpeg
fetch "${LIBWEBP[@]}"
build_webp
# libheif with libde265 (HEIC), as the libheif-js package compiles it: its Emscripten glue is imported from
# node_modules, so the module must come from the same pinned version.
# Copied only when it differs: a fresh copy would make everything built from src/ look out of date.
cmp -s node_modules/libheif-js/libheif-wasm/libheif.wasm "$OUT/heic.wasm" || cp node_modules/libheif-js/libheif-wasm/libheif.wasm "$OUT/heic.wasm"
