#!/usr/bin/env bash
# Make sure Debian's Tesseract and its Arabic, Persian, Urdu and Pashto data are installed for the media tests
# (OCR of archived images). Nothing is downloaded beyond the Debian packages.
set -euo pipefail
LANGS=(ara fas urd pus eng)
if command -v tesseract >/dev/null 2>&1; then
  installed=$(tesseract --list-langs 2>/dev/null | tail -n +2)
  missing=0
  for lang in "${LANGS[@]}"; do
    grep -qx "$lang" <<<"$installed" || missing=1
  done
  [ "$missing" = 0 ] && exit 0
fi
echo "Tesseract or one of its languages (${LANGS[*]}) not found; installing Debian's packages for the OCR tests" >&2
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to apt-get install tesseract-ocr" >&2; exit 1; }
  SUDO=sudo
else
  SUDO=
fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-ara tesseract-ocr-fas \
  tesseract-ocr-urd tesseract-ocr-pus fonts-dejavu-core >&2
