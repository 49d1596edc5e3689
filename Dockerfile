FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# The app runs as an unprivileged user that cannot change its own code: it may write only the
# collected static files and var/ (Celery beat's schedule).
RUN useradd --system --no-create-home --shell /usr/sbin/nologin paracover \
    && mkdir -p staticfiles var \
    && chown paracover:paracover staticfiles var
USER paracover
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
