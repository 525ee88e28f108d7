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

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data faqtory \
    && mkdir -p /data && chown faqtory /data
COPY --from=build /src/target/release/faqtory /usr/local/bin/faqtory
USER faqtory
WORKDIR /data
VOLUME ["/data"]
ENV FAQTORY_DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD ["faqtory", "healthcheck", "--address", "127.0.0.1:8080"]
CMD ["faqtory", "serve", "--bind", "0.0.0.0:8080"]
