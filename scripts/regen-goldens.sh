#!/usr/bin/env bash
# Regenerates every golden report (test/golden/<case>/<format>.<ext>): the CLI's terminal and JSON goldens and every
# report format's. Review the diff before committing: a golden change is a change in what users see.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
npx vitest run test/report test/cli --update
git status --short test/golden
