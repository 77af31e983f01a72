#!/usr/bin/env bash
# Rebuilds the pages' static assets with the machine's node/npm (no CDN at run time, no node in the
# Maven build): Tailwind CSS from the classes used in the templates, and htmx copied from its npm
# package. Run it after changing a template's classes and commit both outputs:
#   payment-api/src/main/frontend/build-css.sh
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
npx @tailwindcss/cli -i app.css -o ../resources/static/css/app.css --minify
cp node_modules/htmx.org/dist/htmx.min.js ../resources/static/js/htmx.min.js
echo "built: $(wc -c < ../resources/static/css/app.css) bytes of CSS, htmx $(node -p "require('htmx.org/package.json').version")"
