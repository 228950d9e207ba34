# ANN Lab server image: the built frontend, the Python package and its data.
# NOTE: written for Docker hosts; the project's tests do not build this image.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        nodejs npm dataset-fashion-mnist wordnet-base wordnet-sense-index \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend backend
COPY scripts scripts
RUN pip install --no-cache-dir torch torchvision --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -e .

COPY frontend/package.json frontend/package-lock.json frontend/
RUN npm --prefix frontend ci --no-audit --no-fund
COPY frontend frontend
RUN npm --prefix frontend run build

ENV ANNLAB_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["annlab", "serve", "--host", "0.0.0.0", "--port", "8000"]
