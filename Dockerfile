# syntax=docker/dockerfile:1
# One image for every role: `ingest`, `api`, `worker`, `migrate` or `start` (all in
# one process) as the first argument. Builds with docker and podman
# (`pnpm container:build`; podman needs `--format docker` to keep the HEALTHCHECK).
#
# BASE_IMAGE: any Debian bookworm image with Node.js 20 at /usr/local/bin (and npm
# for the build stage). Where no registry answers, scripts/container-base makes one
# with mmdebstrap and Node from the npm registry.
ARG BASE_IMAGE=docker.io/library/node:20.20.2-bookworm-slim

FROM ${BASE_IMAGE} AS build
ENV CI=1 TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 \
    PNPM_HOME=/pnpm PATH=/pnpm:$PATH
WORKDIR /src
# A corporate TLS proxy's CA, when the build passes one (`--secret id=ca,src=...`).
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \
    npm install --global --no-fund --no-audit --prefix /pnpm pnpm@10.34.9 \
    && ln -s /pnpm/bin/pnpm /usr/local/bin/pnpm
COPY . .
# Install (postinstall: prisma generate, then the build) with pnpm's store in a
# cache kept between builds, so a rebuild downloads nothing; then replace
# node_modules by the production dependencies of what the roles run, trim them
# (deploy/container/prune.mjs) and lay out what the image ships in /out.
RUN --mount=type=secret,id=ca --mount=type=cache,id=kyc-webhooks-pnpm-store,target=/pnpm/store \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \
    pnpm install --frozen-lockfile --store-dir /pnpm/store \
    && rm -rf node_modules packages/*/node_modules \
    && pnpm install --frozen-lockfile --offline --prod --ignore-scripts --store-dir /pnpm/store \
       --filter '@kyc/standalone...' \
    && node deploy/container/prune.mjs \
    && sh deploy/container/assemble.sh /out

FROM ${BASE_IMAGE}
# tini as PID 1 forwards SIGTERM to node (which drains) and reaps zombies. The
# bootstrapped base has it; the public node image gets it from Debian.
RUN command -v tini >/dev/null || { apt-get update -qq \
      && apt-get install -y -qq --no-install-recommends tini >/dev/null \
      && rm -rf /var/lib/apt/lists/*; } \
    && echo 'kyc:x:10001:10001:kyc-webhooks:/app:/usr/sbin/nologin' >>/etc/passwd \
    && echo 'kyc:x:10001:' >>/etc/group \
    && mkdir -p /data && chown 10001:10001 /data
# Root owns the application; the process can write only to /data (DATA_DIR: the
# embedded database of `start` without DATABASE_URL), so a read-only root works.
COPY --from=build /out /app
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 METRICS_PORT=9090 DATA_DIR=/data
USER 10001:10001
VOLUME /data
EXPOSE 3000 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "/app/bin/healthcheck.mjs"]
ENTRYPOINT ["tini", "--", "/app/bin/entrypoint.sh"]
CMD ["start"]
