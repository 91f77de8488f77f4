#!/usr/bin/env bash
# Prints the CHANGELOG.md section of a version (`## [1.2.3] - 2026-12-01` up to the next
# `## `) for release.yml; fails when there is none or it is empty.
set -euo pipefail
version="${1:?usage: release-notes.sh 1.2.3}"
notes="$(awk -v v="$version" '
  /^## / { if (found) exit; if (index($0, "## [" v "]") == 1) { found = 1; next } }
  found { print }
' "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)/CHANGELOG.md")"
if [ -z "$(printf '%s' "$notes" | tr -d '[:space:]')" ]; then
  echo "::error::CHANGELOG.md has no \"## [$version]\" section with notes" >&2
  exit 1
fi
printf '%s\n' "$notes"
