"""The API's documentation page, read from its OpenAPI document: operations, their parameters and answers, and the
shapes of the answers. Rendered on the server, so it needs no script (the Content-Security-Policy allows none from
elsewhere) and cannot disagree with the document.
"""

from dataclasses import dataclass, field


@dataclass
class Parameter:
    name: str
    location: str
    type: str
    required: bool
    description: str


@dataclass
class Answer:
    status: str
    description: str
    shape: str  # a schema's name, linked on the page; "" for none


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Parameter] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


@dataclass
class Property:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Shape:
    name: str
    properties: list[Property]


@dataclass
class Reference:
    title: str
    version: str
    description: str
    operations: list[Operation]
    shapes: list[Shape]


def api_reference(document: dict) -> Reference:
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method, spec in methods.items():
            operations.append(Operation(
                method=method.upper(),
                path=path,
                summary=spec.get("summary", ""),
                description=spec.get("description", ""),
                anchor=spec.get("operationId", f"{method}-{path}"),
                parameters=[Parameter(p["name"], p.get("in", ""), type_name(p.get("schema", {})),
                                      bool(p.get("required")), p.get("description") or
                                      p.get("schema", {}).get("description", ""))
                            for p in spec.get("parameters", [])],
                answers=[Answer(status, answer.get("description", ""), _shape_of(answer))
                         for status, answer in spec.get("responses", {}).items()],
            ))
    shapes = []
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        shapes.append(Shape(name, [Property(prop, type_name(spec), prop in required, spec.get("description", ""))
                                   for prop, spec in schema.get("properties", {}).items()]))
    info = document.get("info", {})
    return Reference(info.get("title", ""), info.get("version", ""), info.get("description", ""), operations, shapes)


def type_name(schema: dict) -> str:
    """A JSON Schema as words: 'string', 'list of SearchResult', 'string or null'."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_name(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_name(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {type_name(schema['additionalProperties'])}"
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _shape_of(answer: dict) -> str:
    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
    return type_name(schema) if schema else ""
