# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=confvote.settings.prod
WORKDIR /app

COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/prod.txt

COPY . .
# collectstatic needs settings but no secrets: throwaway values for this one build step.
RUN DJANGO_SECRET_KEY=collectstatic-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
    DJANGO_ALLOWED_HOSTS=build REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 confvote
USER confvote
EXPOSE 8000
# granian: a Rust HTTP server running the WSGI app in threads, keeping connections open; on 2 cores it
# answered about 1.4x the votes per second of gunicorn's sync workers (docs/voting.md). One worker
# process per core, 4 threads each.
CMD ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", \
     "--blocking-threads", "4", "--respawn-failed-workers", "--no-ws", "--access-log", \
     "confvote.wsgi:application"]
