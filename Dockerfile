# syntax=docker/dockerfile:1
# The bot, its HTTP API/dashboard and the pipeline worker in one image. Node 24 (the LTS the
# project is tested on). Debian bookworm because the local providers need the system's
# ffmpeg/ffprobe and espeak-ng (and fonts for subtitles), and bookworm's are the ones CI tests.
# Operator CLIs run from the compiled output, e.g.
#   docker compose exec bot-1 node dist/projections/rebuild-cli.js [projection…]
#   docker compose exec bot-1 node dist/catalog/import/import-catalog-cli.js /data/import/my-catalog
#   docker compose exec bot-1 node dist/ops/events-copy/events-copy-cli.js --from <store> --to <store>

FROM node:24-bookworm-slim AS build
WORKDIR /app
# onnxruntime-node would otherwise try to download CUDA binaries during `npm ci`.
ENV npm_config_onnxruntime_node_install_cuda=skip
COPY package.json package-lock.json .npmrc* ./
RUN npm ci --no-audit --no-fund
COPY tsconfig*.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-dejavu-core fonts-droid-fallback ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data HTTP_PORT=8080
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
