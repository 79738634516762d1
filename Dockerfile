# podlint as a container: the static musl binary alone on an empty base image.
#
#   docker build -t podlint/podlint .
#   docker run --rm -v "$PWD:/work" podlint/podlint k8s/
#
# Alpine's Rust targets musl natively, so the binary is static without a cross toolchain; the C
# code podlint links (mimalloc, zstd) needs musl-dev. HTTPS for --schema-location uses the root
# certificates compiled into the binary (webpki-roots), so the image needs no certificate files.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY rules rules
COPY examples examples
COPY tools/gen_corpus.rs tools/corpus.rs tools/parse_floor.rs tools/
COPY benches/pipeline.rs benches/
COPY README.md LICENSE NOTICE CHANGELOG.md ./
RUN cargo build --release --locked --bin podlint \
 && ./target/release/podlint --version

FROM scratch
COPY --from=build /src/target/release/podlint /podlint
COPY --from=build /src/LICENSE /src/NOTICE /
WORKDIR /work
ENTRYPOINT ["/podlint"]
