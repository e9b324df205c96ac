FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY registry ./registry
COPY cases ./cases
COPY api ./api
RUN pip install --no-cache-dir .
COPY . .
# Static files are collected at build time and served by whitenoise.
RUN SECRET_KEY=collectstatic-at-build-time-is-not-a-secret ALLOWED_HOSTS=localhost DEBUG=0 python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_vocabularies && gunicorn registry.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
