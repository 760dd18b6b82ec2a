#!/usr/bin/env bash
# The scheduled refresh (.github/workflows/refresh.yml), in one script the tests run end
# to end (tests/e2e/test_refresh_publish.py):
#
#   1. install requirements.txt (skip with TOKENSHARE_INSTALL=0);
#   2. check out the published branch (default `snapshots`) of the remote (default
#      `origin`) into a temporary git worktree, if the branch exists;
#   3. refresh incrementally on top of its newest snapshot (latest.json), with
#      --categories, --segments, --providers and the extra tables (--benchmarks --session-cost
#      --tasks --apps: 12 Data API requests at most) and the OPENROUTER_API_KEY from the environment (the
#      repository secret); arguments to this script go to `python -m tokenshare refresh`;
#   4. `python -m tokenshare publish` the new snapshot into that worktree (--keep 2);
#   5. commit the worktree as ONE parentless commit and force-push it to the branch
#      (--force-with-lease on the commit fetched in step 2: a concurrent run is not
#      overwritten), so the repository's history never grows by a snapshot a day.
#
# Any failure exits non-zero before step 5 pushes anything: the branch stays exactly as
# it was. The key is never printed (the refresh command redacts it, and this script
# passes it only through the environment).
#
# Settings (environment): TOKENSHARE_PUBLISH_REMOTE (a remote name or URL, default
# origin), TOKENSHARE_PUBLISH_BRANCH (default snapshots), TOKENSHARE_PUBLISH_KEEP
# (default 2), TOKENSHARE_PUBLISH_RETENTION (DAILY,WEEKLY, e.g. 7,52: publish --retention
# instead of --keep, so pinned links live long; default unset), TOKENSHARE_INSTALL (default 1), PYTHON (default python3).
# Usage: bash scripts/refresh_and_publish.sh [refresh options, e.g. --until 2026-11-30]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
REMOTE=${TOKENSHARE_PUBLISH_REMOTE:-origin}
BRANCH=${TOKENSHARE_PUBLISH_BRANCH:-snapshots}
KEEP=${TOKENSHARE_PUBLISH_KEEP:-2}
RETENTION=${TOKENSHARE_PUBLISH_RETENTION:-}
INSTALL=${TOKENSHARE_INSTALL:-1}

say() { printf 'refresh_and_publish: %s\n' "$*" >&2; }
fail() { say "FAILED: $*; the $BRANCH branch is unchanged"; exit 1; }

if [ -z "${OPENROUTER_API_KEY:-}" ]; then
  fail "OPENROUTER_API_KEY is not set (add it as a repository secret)"
fi
case "$KEEP" in '' | *[!0-9]* | 0) fail "TOKENSHARE_PUBLISH_KEEP must be a whole number >= 1, not '$KEEP'" ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tokenshare-publish.XXXXXX")
PUBLISHED="$WORK/published"
SNAPSHOTS="$WORK/snapshots"
TRACKING="refs/tokenshare-publish/$BRANCH"
cleanup() {
  git worktree remove --force "$PUBLISHED" >/dev/null 2>&1 || true
  git update-ref -d "$TRACKING" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# 1. requirements
if [ "$INSTALL" != "0" ]; then
  say "installing requirements.txt"
  "$PYTHON" -m pip install -q --disable-pip-version-check -r requirements.txt || fail "pip install"
fi

# 2. the published branch, as it is now
OLD_COMMIT=""
if git ls-remote --exit-code --heads "$REMOTE" "$BRANCH" >/dev/null 2>&1; then
  # (no --depth: the branch is one parentless commit anyway, and a shallow fetch would
  # mark the repository shallow)
  git fetch -q "$REMOTE" "+refs/heads/$BRANCH:$TRACKING" || fail "git fetch $BRANCH"
  OLD_COMMIT=$(git rev-parse "$TRACKING")
  git worktree add -q --detach "$PUBLISHED" "$TRACKING" || fail "git worktree add"
  say "published branch $BRANCH at ${OLD_COMMIT:0:12}"
else
  # no branch yet: an empty worktree (its first commit is made parentless below)
  git worktree add -q --detach --no-checkout "$PUBLISHED" HEAD || fail "git worktree add"
  say "no $BRANCH branch on $REMOTE yet: publishing the first snapshot"
fi

# 3. refresh on top of the published snapshot
mkdir -p "$SNAPSHOTS"
if [ -f "$PUBLISHED/latest.json" ]; then
  BASE=$("$PYTHON" - "$PUBLISHED" <<'PY'
import sys
from pathlib import Path
from tokenshare.data.published.pointer import read_local_pointer
p = read_local_pointer(Path(sys.argv[1]))
print(p.path.rstrip("/"))
PY
) || fail "the published latest.json cannot be read"
  # Named to sort before the refresh's own folders (named by the time of the run).
  cp -a "$PUBLISHED/$BASE" "$SNAPSHOTS/0-published-$BASE"
  say "refreshing on top of published snapshot $BASE"
else
  say "no published snapshot: a full refresh"
fi
before=$(ls -1 "$SNAPSHOTS")
# the endpoints cache (--providers) in the run's own folder unless told otherwise
export TOKENSHARE_CACHE_DIR="${TOKENSHARE_CACHE_DIR:-$WORK/cache}"
"$PYTHON" -m tokenshare refresh --out "$SNAPSHOTS" --categories --segments --providers \
  --benchmarks --session-cost --tasks --apps "$@" || fail "the refresh (exit status $?)"
NEW=""
for d in "$SNAPSHOTS"/*/; do
  name=$(basename "$d")
  if ! grep -qxF -- "$name" <<<"$before"; then NEW="$SNAPSHOTS/$name"; fi
done
[ -n "$NEW" ] || fail "the refresh wrote no new snapshot"

# 4. publish into the worktree
KEEPING=(--keep "$KEEP")
if [ -n "$RETENTION" ]; then KEEPING=(--retention "$RETENTION"); fi
"$PYTHON" -m tokenshare publish "$NEW" --to "$PUBLISHED" "${KEEPING[@]}" || fail "publish (exit status $?)"

# 5. one parentless commit, force-pushed
git -C "$PUBLISHED" add -A -- . ':(exclude).publish.lock' ':(exclude).publishing-*'
TREE=$(git -C "$PUBLISHED" write-tree)
ID=$("$PYTHON" -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["id"], p["start_date"], "to", p["end_date"], "as of", p["as_of"])' "$PUBLISHED/latest.json")
export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-tokenshare refresh}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-tokenshare-refresh@users.noreply.github.com}"
export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME}" GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}"
COMMIT=$(git commit-tree "$TREE" -m "Published snapshot $ID" -m "Source: OpenRouter (openrouter.ai/rankings). Licensed under CC BY 4.0.") \
  || fail "git commit-tree"
git push -q --force-with-lease="refs/heads/$BRANCH:$OLD_COMMIT" "$REMOTE" "$COMMIT:refs/heads/$BRANCH" \
  || fail "git push (has someone else pushed $BRANCH meanwhile?)"
say "published $ID as ${COMMIT:0:12} on $BRANCH (was ${OLD_COMMIT:0:12})"
