"""What a type adds to the published JSON Schema when Pydantic cannot derive it from validation
(a check done in an AfterValidator): the schema then promises what the server checks."""

from __future__ import annotations

from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic_core import CoreSchema


class Published:
    """Annotated metadata: ``Annotated[list[str], AfterValidator(unique), Published(uniqueItems=True)]``."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        published: dict[str, Any] = handler(schema)
        published.update(self.keywords)
        return published
