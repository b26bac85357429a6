# citeserve container: `docker build -t citeserve .` then `docker run -p 3000:3000 citeserve`.
# test/dockerfile.test.ts checks what can be checked without a Docker engine; see docs/operations.md.

# Build stage: compile the TypeScript with the full toolchain. --ignore-scripts: `npm ci` would run the
# `prepare` script (the build) before the sources are copied; the build runs once they are.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: the compiled output and production dependencies only, as an unprivileged user.
FROM node:24-bookworm-slim
# The official CSL styles and locales, from Debian, under /usr/share/citation-style-language/.
RUN apt-get update \
 && apt-get install -y --no-install-recommends citation-style-language-styles citation-style-language-locales \
 && rm -rf /var/lib/apt/lists/*
# SHUTDOWN_GRACE_MS stays below `docker stop`'s 10 s, so requests in flight get the time there is and
# the forced exit is logged before Docker kills the process.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_FILE=/app/data/works.json \
    SHUTDOWN_GRACE_MS=8000
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no `prepare` build here (the compiler is a development dependency, and dist/ comes
# from the build stage); no production dependency has an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The bundled catalogue; mount your own over it, or elsewhere and point DATA_FILE at it.
COPY data ./data
# The database schema's SQL migrations, which dist/ finds beside it as src/ does (DATABASE_URL).
COPY migrations ./migrations
# The stylesheet and scripts of the web pages and the widget.
COPY public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same command as `npm run start:dist`, run directly so that node is PID 1 and gets SIGTERM.
CMD ["node", "dist/server.js"]
