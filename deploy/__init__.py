"""Running several app processes behind a reverse proxy: the nginx template, `python -m
deploy.serve` for loopback, and the container files (Dockerfile, compose.yaml)."""
