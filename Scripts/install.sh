#!/usr/bin/env bash
# Installs `criteria` on the PATH from a release build: a single executable with the Swift runtime
# linked in (--static-swift-stdlib), so it runs without the toolchain's libraries.
#   bash Scripts/install.sh                 # into ~/.local/bin
#   PREFIX=/usr/local bash Scripts/install.sh   # into /usr/local/bin (may need sudo)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${PREFIX:-$HOME/.local}"
swift build -c release --static-swift-stdlib --product criteria
mkdir -p "$prefix/bin"
install -m 755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/criteria" "$prefix/bin/criteria"
echo "installed $prefix/bin/criteria ($("$prefix/bin/criteria" --version))"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to PATH, e.g. in ~/.profile: export PATH=\"$prefix/bin:\$PATH\"" ;; esac
