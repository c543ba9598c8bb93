FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/planaction /usr/local/bin/planaction
ENV BIND_ADDRESS=0.0.0.0:8080
EXPOSE 8080
CMD ["planaction", "serve", "--demo"]
