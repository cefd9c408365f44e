#!/usr/bin/env bash
# Build the PyInstaller bundle with kiosk.spec and compile the installer script, on Linux.
#
#   scripts/build_bundle.sh                 bundle + installer script check (uncompressed)
#   NSIS_MODE=release scripts/build_bundle.sh   ... + a compressed installer (lzma, minutes)
#   NSIS_MODE=none scripts/build_bundle.sh      bundle only
#
# KIOSK_BUNDLE_MODELS (default ../shared/models/test-pack; empty: no pack) is the model pack
# shipped in the bundle. A Linux bundle as the installer's payload only checks the NSIS
# script; the Windows installer is built by installer/build_windows.ps1.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
DIST=${DIST:-dist}
WORK=${WORK:-build}
NSIS_MODE=${NSIS_MODE:-check}
export KIOSK_BUNDLE_MODELS=${KIOSK_BUNDLE_MODELS-../shared/models/test-pack}
version=$("$PY" -c 'import kiosk; print(kiosk.__version__)')

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" kiosk.spec
bundle_s=$(( $(date +%s) - start ))
bundle_mb=$(du -sm "$DIST/kiosk" | cut -f1)
echo "bundle    $DIST/kiosk: ${bundle_mb} MB, built in ${bundle_s} s"
"$DIST/kiosk/kiosk" --version

if [ "$NSIS_MODE" != none ]; then
  command -v makensis >/dev/null || { echo "makensis not found: apt-get install nsis" >&2; exit 1; }
  flags=(-V2 -WX "-DVERSION=$version" "-DBUNDLE_DIR=$PWD/$DIST/kiosk")
  if [ "$NSIS_MODE" = check ]; then
    out="$PWD/$DIST/FaceKiosk-$version-linux-check.exe"
    flags+=(-DNOCOMPRESS)
  else
    out="$PWD/$DIST/FaceKiosk-$version-linux-payload.exe"
  fi
  start=$(date +%s)
  makensis "${flags[@]}" "-DOUTFILE=$out" installer/kiosk.nsi
  echo "installer $out: $(( $(stat -c %s "$out") / 1048576 )) MB, compiled in $(( $(date +%s) - start )) s (NSIS_MODE=$NSIS_MODE)"
fi
