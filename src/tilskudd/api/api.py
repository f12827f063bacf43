"""The JSON API, version 1. The OpenAPI document is at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="tilskudd API",
    version="1",
    description="Calls for applications and the rule engine, for integrations.",
    urls_namespace="api-v1",
)
