# marketing-bot: `serve` over HTTP on port 3000 (/slack/events, /healthz, /metrics).
# Build: docker build -t marketing-bot .   Run: docker run --env-file .env -p 3000:3000 -v bot-data:/data marketing-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    MARKETING_BOT_DB=/data/marketing-bot.db MARKETING_BOT_CACHE=/opt/marketing-bot/cache
WORKDIR /opt/marketing-bot
COPY pyproject.toml README.md ./
COPY bot bot
COPY graph graph
COPY prompts prompts
COPY seeds seeds
RUN pip install --no-cache-dir '.[postgres,claude]' \
    # the offline brain's models (router, situations, figure roles, follow-ups), trained once here
    # rather than at every start: the cache is read-only for the bot user
    && cd / && python -c "from graph.router import default_router; default_router(); from graph.conversations import situation_model, role_model, operation_model; [m() for m in (situation_model, role_model, operation_model)]" \
    && useradd --system --uid 10001 --home-dir /data --create-home bot
USER bot
VOLUME /data
EXPOSE 3000
# Over HTTP it asks /healthz; in Socket Mode (no port) it reads the queue in the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["marketing-bot", "healthcheck"]
CMD ["marketing-bot", "serve", "--host", "0.0.0.0", "--port", "3000"]
