# syntax=docker/dockerfile:1
# Verbatim, the Discord bot. Build:  docker build -t verbatim .
# Run:  docker run --init --env-file .env -e DATABASE_PATH=/data/verbatim.db -e HEALTH_PORT=8080
#         -v verbatim-data:/data verbatim
#   (.env, copied from .env.example, sets DATABASE_PATH and HEALTH_PORT too; the -e flags win.)
# (or `docker compose up -d`, see compose.yaml and docs/operations.md).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, compile TypeScript, then drop the dev dependencies -------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# better-sqlite3 compiles from source when no prebuilt binary can be downloaded: python3, make, g++.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# node-gyp uses the headers that ship with this Node (/usr/local/include/node) instead of
# downloading them.
ENV npm_config_nodedir=/usr/local

# Dependencies first, so that a source change does not reinstall them. `--ignore-scripts` skips
# `prepare` (the sources are not here yet); better-sqlite3's own install script runs in the rebuild.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3

COPY . .
RUN npm run build \
  && rm -rf dist/test dist/testkit \
  && npm prune --omit=dev \
  && npm cache clean --force

# --- runtime: compiled code, prompts and production dependencies only ------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  DATABASE_PATH=/data/verbatim.db \
  HEALTH_PORT=8080 \
  HEALTH_HOST=127.0.0.1
WORKDIR /app

# The database lives in /data; the image's user `node` (uid 1000) owns it, and nothing else is
# writable by the process.
RUN mkdir -p /data && chown node:node /data

COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prompts ./prompts

USER node
VOLUME ["/data"]

# Ready = the health server's /readyz answers 2xx. With HEALTH_PORT empty or 0 (no health server)
# the check always passes. HEALTH_HOST empty (the default, 127.0.0.1), 0.0.0.0 or :: is reached
# through 127.0.0.1, as the config reads it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.HEALTH_PORT,h=(process.env.HEALTH_HOST??'').trim();if(!(Number(p)>0))process.exit(0);const host=!h||h==='0.0.0.0'||h==='::'?'127.0.0.1':h.includes(':')?'['+h+']':h;fetch('http://'+host+':'+p+'/readyz',{signal:AbortSignal.timeout(4000)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "dist/src/discord/main.js"]
