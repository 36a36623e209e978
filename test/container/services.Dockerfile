# PostgreSQL and Redis for the compose test, where their public images cannot be
# pulled: the image's bootstrapped base with Debian's postgresql-15 and
# redis-server (scripts/container-base <engine> services). The entrypoint takes
# the official images' commands and environment (POSTGRES_USER, _PASSWORD, _DB).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY services-entrypoint.sh /usr/local/bin/services-entrypoint
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
ENTRYPOINT ["/usr/local/bin/services-entrypoint"]
