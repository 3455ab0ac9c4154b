#!/usr/bin/env bash
# Build the docs and screenshot a few pages with a headless Chromium, to look
# at the site as a reader would.
#
#   bash doc/screenshots.sh [OUT_DIR]      (default OUT_DIR: /tmp/nmfx_shots)
#
# Needs the docs extra (python -m pip install -e ".[docs]") and Chromium
# (Debian: apt-get install -y --no-install-recommends chromium). Set
# NMFX_DOCS_HTML to a built site to skip the build. Pages load from file://
# with the network left off: what renders here renders offline.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-/tmp/nmfx_shots}"
html="${NMFX_DOCS_HTML:-doc/_build/html}"
mkdir -p "$out"

if [ -z "${NMFX_DOCS_HTML:-}" ]; then
    python -m sphinx -W -j auto -b html doc "$html"
fi

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "No chromium found: apt-get install -y --no-install-recommends chromium" >&2
    exit 1
fi

site="$(cd "$html" && pwd)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

# page (relative to the site) -> screenshot name
pages=(
    "index.html index"
    "user_guide/model.html ug_model"
    "user_guide/divergences.html ug_divergences"
    "user_guide/updates.html ug_updates"
    "user_guide/choosing_k.html ug_choosing_k"
    "user_guide/deep.html ug_deep"
    "user_guide/kmeans.html ug_kmeans"
    "user_guide/separation.html ug_separation"
    "performance.html performance"
    "api.html api"
    "generated/sklearn_nmfx.MUNMF.html api_munmf"
    "auto_examples/index.html gallery"
    "auto_examples/plot_convergence.html ex_convergence"
    "auto_examples/plot_source_separation.html ex_source_separation"
)

for entry in "${pages[@]}"; do
    read -r page name <<<"$entry"
    if [ ! -f "$site/$page" ]; then
        echo "skip $page (not built)" >&2
        continue
    fi
    # MathJax typesets after the page loads: give it time before the shot.
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars \
        --virtual-time-budget=5000 --window-size=1280,2000 \
        --screenshot="$out/$name.png" "file://$site/$page" \
        >/dev/null 2>&1
    echo "$out/$name.png"
done
