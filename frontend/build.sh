#!/usr/bin/env bash
# Rebuild static/vendor/nhsuk-frontend from the version pinned in package-lock.json.
#
#   frontend/build.sh            # npm ci, then compile and copy
#   SKIP_INSTALL=1 frontend/build.sh   # reuse frontend/node_modules as it is
#
# Output (committed): nhsuk-frontend.min.css (compiled from scss/nhsuk-frontend.scss: no
# remote fonts, image URLs relative to the CSS), nhsuk-frontend.min.js (+ .map) as
# published, assets/ (favicons, manifest, icons), LICENCE and VERSION.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${here}/../static/vendor/nhsuk-frontend"
dist="${here}/node_modules/nhsuk-frontend/dist/nhsuk"

cd "${here}"
if [[ "${SKIP_INSTALL:-0}" != "1" ]]; then
  npm ci --no-audit --no-fund
fi

version="$(node -p 'require("nhsuk-frontend/package.json").version')"
pinned="$(node -p 'require("./package.json").dependencies["nhsuk-frontend"]')"
if [[ "${version}" != "${pinned}" ]]; then
  echo "installed nhsuk-frontend ${version} does not match the pinned ${pinned}" >&2
  exit 1
fi

rm -rf "${out}"
mkdir -p "${out}"

./node_modules/.bin/sass --pkg-importer=node --style=compressed --no-source-map \
  --quiet-deps scss/nhsuk-frontend.scss "${out}/nhsuk-frontend.min.css"

# The published bundle is an ES module exporting initAll(); static/js/portal.js imports it.
cp "${dist}/nhsuk-frontend.min.js" "${dist}/nhsuk-frontend.min.js.map" "${out}/"
cp -R "${dist}/assets" "${out}/assets"
cp licences/nhsuk-frontend-LICENCE "${out}/LICENCE"

# Every url() in the CSS must point at a file we ship, or collectstatic (manifest) fails.
grep -o 'url("[^"]*")' "${out}/nhsuk-frontend.min.css" | sed -e 's/^url("//' -e 's/")$//' \
  | sort -u | while read -r ref; do
    if [[ "${ref}" == http* || "${ref}" == /* || ! -f "${out}/${ref}" ]]; then
      echo "nhsuk-frontend.min.css refers to ${ref}, which is not vendored" >&2
      exit 1
    fi
  done
if grep -q '@font-face' "${out}/nhsuk-frontend.min.css"; then
  echo "nhsuk-frontend.min.css still declares @font-face" >&2
  exit 1
fi

sed -e "s/@VERSION@/${version}/g" -e "s/@SASS_VERSION@/$(./node_modules/.bin/sass --version | cut -d' ' -f1)/g" \
  VERSION.md.in > "${out}/VERSION.md"
echo "NHS.UK frontend ${version} built into ${out}"
