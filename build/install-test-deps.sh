#!/usr/bin/env bash
# Installs what the test suite needs on Debian 12/13 (run as root, or with sudo available):
#  - the Fashion-MNIST images (Debian package dataset-fashion-mnist)
#  - a libstdc++ that exports GLIBCXX_3.4.32, which TorchSharp 0.107 (libtorch 2.10) needs;
#    Debian 12 ships GCC 12's, so we take libstdc++6 from Debian 13 (trixie), pinned low so
#    nothing else is upgraded.
#  - qemu-user and the arm64 C and C++ libraries, to run a linux-arm64 build of a generated model
#    (LinuxArm64Tests) under user-mode emulation.
#  - chromium, to open a Blazor WebAssembly build of a generated model headless (BlazorWebAssemblyTests).
set -euo pipefail

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
LIBSTDCXX=/usr/lib/x86_64-linux-gnu/libstdc++.so.6

have_glibcxx() {
  [ -e "$LIBSTDCXX" ] && grep -q 'GLIBCXX_3\.4\.32' "$LIBSTDCXX"
}

need_update=1
apt_update_once() {
  if [ "$need_update" = 1 ]; then $SUDO apt-get update -qq; need_update=0; fi
}

if [ ! -e /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] && \
   [ ! -e /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte ]; then
  echo "[deps] installing dataset-fashion-mnist"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi

if ! have_glibcxx; then
  echo "[deps] system libstdc++ lacks GLIBCXX_3.4.32 (TorchSharp needs it); installing libstdc++6 from Debian 13"
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
    echo "deb http://deb.debian.org/debian trixie main" | $SUDO tee /etc/apt/sources.list.d/subnetgen-trixie.list >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/subnetgen-trixie >/dev/null
    need_update=1
  fi
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  have_glibcxx || { echo "[deps] libstdc++6 still lacks GLIBCXX_3.4.32" >&2; exit 1; }
fi
if [ ! -x /usr/bin/qemu-aarch64 ] || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || \
   [ ! -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ]; then
  echo "[deps] installing qemu-user, libc6-arm64-cross and libstdc++6-arm64-cross (linux-arm64 test)"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq qemu-user libc6-arm64-cross libstdc++6-arm64-cross >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "[deps] installing chromium (browser test)"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "[deps] ok: fashion-mnist present, libstdc++ has GLIBCXX_3.4.32, qemu-aarch64 and the arm64 libraries present, chromium present"
