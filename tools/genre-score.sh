#!/bin/sh
# Score the document engine against the genre corpus (tests/data/genres):
# per genre, the documents, the expected items, the items found, item recall
# and lead accuracy.  Never fails on a difference.  Usage: tools/genre-score.sh
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory -j2 build/rel/tests/test_genres >/dev/null
GENRES_SCORE=1 build/rel/tests/test_genres
