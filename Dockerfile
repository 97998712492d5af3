# inkasso-sandbox as a container: docker build -t inkasso-sandbox . && docker run -p 4010:4010 -e SANDBOX_ADMIN_TOKEN=change-me inkasso-sandbox
# The server binds 0.0.0.0 inside the container, so the control API (/_sandbox) needs SANDBOX_ADMIN_TOKEN.

# ---- build: compile TypeScript, copy the shipped assets (PDF font, inspector, Swagger UI) into dist/assets
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY sandbox ./sandbox
COPY contracts ./contracts
COPY scenarios ./scenarios
COPY sdk ./sdk
RUN npm run build

# ---- run: production dependencies only, as the unprivileged node user
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4010 \
    SANDBOX_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" would build, which needs the dev dependencies; the build stage did it.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY contracts/*.json contracts/*.md ./contracts/
COPY scenarios/*.yaml ./scenarios/
COPY README.md ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4010
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4010) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/sandbox/cli.js", "start"]
