FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 REFLECT_STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --create-home reflect && mkdir -p /data && chown reflect /data
USER reflect
EXPOSE 8000
CMD ["uvicorn", "reflect.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
