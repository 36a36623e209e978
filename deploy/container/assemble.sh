#!/bin/sh
# Moves what the image runs into $1, in the repository's layout (the migrations
# are found relative to packages/db): the root's node_modules (pnpm's store of the
# production dependencies), prisma/, and each package the roles load with its
# manifest, build, node_modules and the files it reads at run time (sql/,
# commands/, the rejection catalogue).
set -eu
out=$1
mkdir -p "$out/packages" "$out/bin"
dirs=$(pnpm ls --filter '@kyc/standalone...' --depth -1 --parseable)
cp -a package.json prisma "$out/"
cp -a deploy/container/entrypoint.sh deploy/container/healthcheck.mjs "$out/bin/"
for dir in $dirs; do
  name=$(basename "$dir")
  [ "$dir" = "$PWD/packages/$name" ] || continue
  mkdir -p "$out/packages/$name"
  for part in package.json node_modules dist sql commands catalogue.json; do
    if [ -e "$dir/$part" ]; then mv "$dir/$part" "$out/packages/$name/"; fi
  done
  # Packages shipped as plain JavaScript (no build) export their sources.
  if [ ! -e "$out/packages/$name/dist" ]; then mv "$dir/src" "$out/packages/$name/"; fi
done
mv node_modules "$out/"
find "$out/packages" -name '*.d.ts' -delete
