# Build the release binary; SQLite, libpq and OpenSSL are compiled in, so the runtime image needs
# no libraries beyond libc.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY assets ./assets
COPY tests ./tests
COPY bench ./bench
RUN cargo build --release --locked --bin faqtory
# The sentence encoder that matches questions by meaning, baked into the image when built with
# `--build-arg WITH_MODEL=1` (the build then needs to reach Hugging Face, or set MODEL_FROM to a
# mirror URL). Without it, run `faqtory model fetch` in the container once: it lands in the /data
# volume.
ARG WITH_MODEL=0
ARG MODEL_FROM=
RUN mkdir -p /opt/faqtory \
    && if [ "$WITH_MODEL" = "1" ]; then \
        target/release/faqtory --data-dir /opt/faqtory model fetch ${MODEL_FROM:+--from "$MODEL_FROM"}; \
    fi

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data faqtory \
    && mkdir -p /data && chown faqtory /data
COPY --from=build /src/target/release/faqtory /usr/local/bin/faqtory
COPY --from=build /opt/faqtory /opt/faqtory
USER faqtory
WORKDIR /data
VOLUME ["/data"]
ENV FAQTORY_DATA_DIR=/data
# `auto` uses a model fetched into /data; for one baked in with WITH_MODEL=1, run the image with
# `-e FAQTORY_MODEL=/opt/faqtory/models/all-MiniLM-L6-v2`.
ENV FAQTORY_MODEL=auto
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD ["faqtory", "healthcheck", "--address", "127.0.0.1:8080"]
CMD ["faqtory", "serve", "--bind", "0.0.0.0:8080"]
