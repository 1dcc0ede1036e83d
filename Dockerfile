# syntax=docker/dockerfile:1
# Flink Native Dashboard: the image runs Next's standalone server (README: "Running in Kubernetes").
#   docker build -t flink-native-dashboard:0.1.0 .
# Three stages: dependencies (npm ci) → build (next build, output: 'standalone') → runtime with only
# the traced server files, static assets and Node, as a non-root user. No HEALTHCHECK: Kubernetes
# probes /healthz and /readyz (deploy/deployment.yaml).
ARG NODE_IMAGE=node:20-alpine

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# The workspace manifest (sim/) is needed for npm ci to accept the lockfile; its sources are not.
COPY package.json package-lock.json ./
COPY sim/package.json sim/package.json
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN node node_modules/next/dist/bin/next build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXT_MANUAL_SIG_HANDLE=1
# NEXT_MANUAL_SIG_HANDLE: the dashboard's own SIGTERM handler (instrumentation.ts) ends SSE streams
# and watches and exits 0; Next's would wait for the streams forever.
RUN addgroup -S -g 10001 dashboard && adduser -S -D -H -u 10001 -G dashboard dashboard
# Owned by root and read-only to the app: it writes only to /tmp and .next/cache (emptyDirs in deploy/).
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
RUN mkdir -p .next/cache && chown 10001:10001 .next/cache
USER 10001:10001
EXPOSE 3000
CMD ["node", "server.js"]
