# Multi-stage image for `dossier serve`, `dossier worker` and `dossier migrate`.
# Not built on the development machines of this project (no Docker engine there); see README.
FROM swift:6.3-noble AS build
WORKDIR /build
COPY Package.swift ./
RUN swift package resolve
COPY openapi.yaml ./
COPY Sources Sources
RUN swift build -c release --product dossier --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/dossier" /build/dossier \
    && cp -R "$(swift build -c release --show-bin-path)/dossier_DossierMailRendering.resources" /build/

FROM ubuntu:noble
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home dossier
WORKDIR /app
COPY --from=build /build/dossier /app/dossier
# The mail templates travel beside the binary, where Bundle.module looks for them.
COPY --from=build /build/dossier_DossierMailRendering.resources /app/dossier_DossierMailRendering.resources
COPY Migrations /app/Migrations
USER dossier
ENV MIGRATIONS_DIR=/app/Migrations HTTP_HOST=0.0.0.0 HTTP_PORT=8080 LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/app/dossier"]
CMD ["serve"]
