#!/usr/bin/env bash
# OCR for scanned PDFs and images: Debian's tesseract with English, Russian and Kazakh data.
# Optional: without it RightsTrack still reads documents with a text layer and says clearly when a
# scan needs OCR. `make test` does not need it (the real-OCR test is skipped when it is missing).
set -euo pipefail
PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz)
if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx kaz \
  && tesseract --list-langs 2>/dev/null | grep -qx rus && tesseract --list-langs 2>/dev/null | grep -qx eng; then
  echo "tesseract with eng, rus and kaz is already installed."; exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}"
elif command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}"
else
  echo "Run as root (or install sudo): apt-get install ${PACKAGES[*]}" >&2; exit 1
fi
tesseract --list-langs
