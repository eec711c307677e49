"""The published API specs, as a check on both sides of the fakes' wire: what the bot sends, and what the
fakes answer.

A fake that answers in a shape the real service never gives would let a test pass that production fails,
and a request the service does not accept would only fail in production: so every request each fake
receives is checked against the spec, and so is its answer. The specs live beside the project in
`../shared/specs/` (or `CONTINUITY_SPECS`):

- `discord-openapi.json`, Discord's OpenAPI 3.1 document of HTTP API v10. Its schemas are JSON Schema
  2020-12, so `jsonschema` validates request bodies (or a multipart body's `payload_json`), path and query
  parameters, and answers against them as they are, but for the few places where Discord's documentation
  says otherwise (`_requests_as_documented`, `_answers_as_documented`). The gateway is not in the document;
  the objects its events carry (users, members, roles, channels, messages) are checked as the REST ones.
- `telegram-bot-api.json`, a machine-readable Bot API: each method's parameters and return type, each
  type's fields, with Telegram's coarse types (Integer, String, Boolean, Float, `Array of X`, objects).

The fakes call `check` on every exchange, collect what breaks the spec in `spec_violations`, and raise
`SpecViolation` from `stop()`. When the folder is absent, checking is off (`discord_spec()` and
`telegram_spec()` answer None) and the dedicated test skips, so a plain clone still passes.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

PROJECT = Path(__file__).resolve().parents[2]
SPECS_ENV = "CONTINUITY_SPECS"
DISCORD_FILE = "discord-openapi.json"
TELEGRAM_FILE = "telegram-bot-api.json"


def specs_dir() -> Path:
    """`../shared/specs` beside the project, or CONTINUITY_SPECS."""
    return Path(os.environ.get(SPECS_ENV, PROJECT.parent / "shared" / "specs"))


def missing_reason() -> str | None:
    """Why checking is off, or None when both specs are there."""
    folder = specs_dir()
    absent = [name for name in (DISCORD_FILE, TELEGRAM_FILE) if not (folder / name).is_file()]
    if absent:
        return f"API specs {', '.join(absent)} not found in {folder} (set {SPECS_ENV} to check the fakes' wire)"
    return None


@functools.cache
def discord_spec() -> DiscordSpec | None:
    path = specs_dir() / DISCORD_FILE
    return DiscordSpec(json.loads(path.read_text("utf-8"))) if path.is_file() else None


@functools.cache
def telegram_spec() -> TelegramSpec | None:
    path = specs_dir() / TELEGRAM_FILE
    return TelegramSpec(json.loads(path.read_text("utf-8"))) if path.is_file() else None


# A request the fake refused as malformed (400, as Discord and Telegram answer one) is not held against the
# spec: the test met the refusal the real service gives, and the fakes' own tests send such requests on
# purpose. What counts is a request the fake let through that the service would refuse. Its answer, the
# error, is checked all the same.
REFUSED_AS_INVALID = 400


class SpecViolation(AssertionError):
    """What a fake saw or said that its published spec does not allow; raised when the fake stops."""


def raise_violations(service: str, violations: list[str]) -> None:
    if violations:
        listed = "\n  ".join(dict.fromkeys(violations))  # once each, in order
        raise SpecViolation(f"{len(violations)} wire exchange(s) with the fake {service} break its published "
                            f"spec:\n  {listed}")


def _explain(error: ValidationError) -> list[str]:
    """Lines naming the fields at fault. Inside an anyOf/oneOf, the errors of the branch the value was meant
    for (not those of branches whose discriminator, e.g. `type`, it does not have), not "no branch matched"."""
    where = "/".join(str(part) for part in error.absolute_path) or "(top)"
    if not error.context:
        message = error.message
        if len(message) > 200:  # a long value: say what failed, not the value
            message = f"{error.instance!r:.60}… fails {error.validator} {error.validator_value!r:.80}"
        return [f"{where}: {message}"]
    depth = len(error.absolute_path)
    branches: dict[Any, list[ValidationError]] = {}
    for inner in error.context:
        branches.setdefault(inner.relative_schema_path[0], []).append(inner)
    if all(e.validator == "const" and len(e.absolute_path) == depth for e in error.context):
        # An enumeration written as a oneOf of constants (TextInputStyleTypes and the like).
        allowed = sorted({e.validator_value for e in error.context}, key=str)
        return [f"{where}: {error.instance!r:.80} is not one of {allowed}"]

    def of_another_kind(errors: list[ValidationError]) -> bool:
        return any((e.validator in ("const", "enum") and len(e.absolute_path) == depth + 1)
                   or (e.validator == "type" and len(e.absolute_path) == depth) for e in errors)

    meant = [errors for errors in branches.values() if not of_another_kind(errors)] or list(branches.values())
    return [line for inner in min(meant, key=len) for line in _explain(inner)]


# --------------------------------------------------------------------------------------------------
# Discord


_DOCUMENT_URI = "urn:discord-openapi"
_METHODS = ("get", "put", "post", "patch", "delete")
_JSON = "application/json"
_FILE_PART = re.compile(r"files\[\d\]")  # the docs' `files[n]`, at most ten to a message


# Where the preview spec and Discord's documentation disagree, Discord says to follow the docs. Each case
# allowed here is one such disagreement, quoted; everything else is checked as the spec has it.

def _requests_as_documented(schemas: dict[str, Any]) -> None:
    """What the bot may send."""
    # The spec: `"SnowflakeType": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}`, for requests too.
    # The docs (Reference, Snowflakes) say ids "are always *returned* as strings"; in requests Discord takes
    # integers, and discord.py sends every id as one (`recipient_id`, `allowed_mentions.roles`...). The docs'
    # own "Uploading Files" example gives a new attachment the index of its `files[n]` part, `"id": 0`.
    schemas["SnowflakeType"] = {"anyOf": [schemas["SnowflakeType"], {"type": "integer", "minimum": 0}]}


def _answers_as_documented(schemas: dict[str, Any]) -> None:
    """What the fake may answer."""
    # The spec: `"InnerErrors": {"_errors": {"items": {"$ref": "#/components/schemas/Error"}}}`, and Error's
    # `"code": {"type": "integer"}`. The docs (Reference, Error Messages) show a field's errors with string
    # codes: `"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]`.
    field_error = {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                   "required": ["code", "message"]}
    schemas["InnerErrors"]["properties"]["_errors"]["items"] = field_error
    # The spec: RatelimitedResponse is `allOf: [Error, ...]`, and Error has `"required": ["code", "message"]`.
    # The docs (Rate Limits, Rate Limit Response Structure) list `code?`, "An error code for some limits", and
    # their example 429 body is `{"message": "You are being rate limited.", "retry_after": 64.57, "global": false}`.
    error_without_code = {**schemas["Error"], "required": ["message"]}
    schemas["RatelimitedResponse"]["allOf"][0] = error_without_code


def _registry(document: Mapping[str, Any], amend: Any) -> Registry[Any]:
    amended = copy.deepcopy(dict(document))
    amend(amended["components"]["schemas"])
    resource = Resource.from_contents(amended, default_specification=DRAFT202012)
    return Registry().with_resource(_DOCUMENT_URI, resource)


@dataclass(frozen=True)
class DiscordOperation:
    method: str  # upper case
    template: str  # the spec's path, e.g. /channels/{channel_id}/messages
    pattern: re.Pattern[str]
    operation: Mapping[str, Any]
    parameters: Mapping[tuple[str, str], Mapping[str, Any]]  # (in, name) -> parameter, path- and operation-level

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


class DiscordSpec:
    """Discord's OpenAPI document: find the operation for a request, validate its body and the answer."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._registries = {"request": _registry(document, _requests_as_documented),
                            "answer": _registry(document, _answers_as_documented)}
        self._validators: dict[tuple[str, int], Draft202012Validator] = {}
        operations: list[DiscordOperation] = []
        for template, item in document["paths"].items():
            for method in _METHODS:
                if method not in item:
                    continue
                declared = [*item.get("parameters", []), *item[method].get("parameters", [])]
                parameters = [self.resolved(parameter) for parameter in declared]
                regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
                operations.append(DiscordOperation(method.upper(), template, re.compile(f"^{regex}$"), item[method],
                                                   {(p["in"], p["name"]): p for p in parameters}))
        # A literal segment wins over a parameter (`/users/@me` before `/users/{user_id}`).
        operations.sort(key=lambda op: [part.startswith("{") for part in op.template.split("/")])
        self.operations = operations

    def resolved(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """A `$ref` to `#/components/...` followed to what it names."""
        while "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def validate(self, schema: Mapping[str, Any], instance: Any, *, side: str) -> list[str]:
        """Errors of `instance` against `schema`, a schema inside the document (its refs resolve there), as
        a "request" or an "answer" (see the cases allowed above)."""
        key = (side, id(schema))  # the document lives as long as the process
        validator = self._validators.get(key)
        if validator is None:
            # Refs in the document are relative (`#/components/...`); written against the document's URI
            # they resolve from a schema taken out of it.
            absolute = json.loads(json.dumps(schema).replace('"$ref": "#', f'"$ref": "{_DOCUMENT_URI}#'))
            validator = Draft202012Validator(absolute, registry=self._registries[side])
            self._validators[key] = validator
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(part) for part in e.absolute_path])
        return [line for error in errors for line in _explain(error)]

    def check_object(self, name: str, value: Any) -> list[str]:
        """Violations of `value` as the object `#/components/schemas/<name>` Discord sends (e.g. a message a
        gateway event carries: the gateway is not in the document, but its objects are the REST API's)."""
        return self.validate(self.document["components"]["schemas"][name], value, side="answer")

    def operation(self, method: str, path: str) -> DiscordOperation | None:
        for op in self.operations:
            if op.method == method.upper() and op.pattern.match(path):
                return op
        return None

    def check(self, method: str, path: str, query: Mapping[str, str], body: Any, *, content_type: str,
              part_names: Iterable[str] = (), status: int, answer: Any) -> list[str]:
        """Violations of one exchange: `path` without /api/v10, `body` the JSON (or multipart payload_json)
        or None, `answer` the JSON answered (None for no body)."""
        op = self.operation(method, path)
        if op is None:
            return [f"{method} {path}: no such operation in Discord's OpenAPI document"]
        found: list[str] = []
        if status != REFUSED_AS_INVALID:
            found += [f"{op.name} request {text}"
                      for text in self._check_request(op, path, query, body, content_type, part_names)]
        found += [f"{op.name} answer {status} {text}" for text in self._check_answer(op, status, answer)]
        return found

    def _check_request(self, op: DiscordOperation, path: str, query: Mapping[str, str], body: Any,
                       content_type: str, part_names: Iterable[str]) -> list[str]:
        found: list[str] = []
        match = op.pattern.match(path)
        assert match is not None
        for name, value in match.groupdict().items():
            found += [f"path {name}={value!r}: {e}" for e in self._check_parameter(op, "path", name, value)]
        for name, value in query.items():
            if ("query", name) not in op.parameters:
                found.append(f"query {name}={value!r}: not a parameter of this operation")
            else:
                found += [f"query {name}={value!r}: {e}" for e in self._check_parameter(op, "query", name, value)]
        found += [f"query {name}: required" for (where, name), p in op.parameters.items()
                  if where == "query" and p.get("required") and name not in query]
        request_body = op.operation.get("requestBody")
        if request_body is None:
            return found + (["body: this operation takes no body"] if body is not None else [])
        if body is None:
            return found + (["body: required"] if request_body.get("required") else [])
        media = content_type.split(";")[0].strip().lower()
        if media == "multipart/form-data":
            if media not in request_body["content"]:
                found.append("body: this operation takes no multipart body")
            # The spec lists `files[n]` for some operations only; the docs ("Uploading Files") name the parts
            # of every upload: `payload_json` and `files[n]`.
            found += [f"part {name!r}: neither payload_json nor files[n]" for name in part_names
                      if name != "payload_json" and not _FILE_PART.fullmatch(name)]
        # For multipart, `payload_json` carries what the JSON body would: the JSON body's schema applies.
        schema = request_body["content"][_JSON]["schema"]
        return found + [f"body {text}" for text in self.validate(schema, body, side="request")]

    def _check_parameter(self, op: DiscordOperation, where: str, name: str, text: str) -> list[str]:
        """A path or query value, text on the wire, read as its schema's type before it is validated."""
        parameter = op.parameters.get((where, name))
        if parameter is None:
            return []
        schema = parameter["schema"]
        kind = self.resolved(schema).get("type")
        value: Any = text
        if kind == "integer" and re.fullmatch(r"-?\d+", text):
            value = int(text)
        elif kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", text):
            value = float(text)
        elif kind == "boolean":
            # The docs (Reference, Boolean Query Strings): "True, true, 1" are true, "False, false, 0" false.
            value = {"True": True, "true": True, "1": True, "False": False, "false": False, "0": False}.get(text, text)
        return self.validate(schema, value, side="request")

    def _check_answer(self, op: DiscordOperation, status: int, answer: Any) -> list[str]:
        if status >= 500:
            return []  # a server failing: the spec describes no such answer (Cloudflare sends an HTML page)
        responses = op.operation.get("responses", {})
        key = next((k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None)
        if key is None:
            return [f"status {status} is not among the operation's responses ({', '.join(responses)})"]
        content = self.resolved(responses[key]).get("content") or {}
        if _JSON not in content:
            return [] if answer is None else ["body: this response has no body"]
        if answer is None:
            return ["body: a JSON body is required"]
        return [f"body {text}" for text in self.validate(content[_JSON]["schema"], answer, side="answer")]


# --------------------------------------------------------------------------------------------------
# Telegram


_PRIMITIVES = ("Integer", "String", "Boolean", "Float", "True")
# A member of a union says which one it is in a field described `…, always "creator"` / `…, must be chat`.
_CONSTANT = re.compile(r"""(?:always|must be)\s+["“]?([a-z][a-z0-9_]*)["”]?\.?$""")
_INT_TEXT = re.compile(r"-?\d+")
_FLOAT_TEXT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


class TelegramSpec:
    """The Bot API as data: methods with their parameters and return types, types with their fields."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.methods: dict[str, Mapping[str, Any]] = {name.lower(): m for name, m in document["methods"].items()}
        self.types: Mapping[str, Mapping[str, Any]] = document["types"]
        members = {name for spec in self.types.values() for name in spec.get("subtypes", [])}
        self._constants: dict[str, dict[str, str]] = {}  # union member -> {field: the value it always has}
        for name in members & set(self.types):
            for field in self.types[name].get("fields", []):
                constant = _CONSTANT.search(field["description"])
                if constant and field["required"] and field["types"] == ["String"]:
                    self._constants.setdefault(name, {})[field["name"]] = constant.group(1)

    def check_call(self, method: str, params: Mapping[str, Any], files: Iterable[str] = ()) -> list[str]:
        """The parameters of a call as they arrived: form values are text, objects JSON-encoded text (a JSON
        body's values are JSON); `files` names the file parts."""
        spec = self.methods.get(method.lower())
        if spec is None:
            return [f"{method}: no such method in the Bot API"]
        fields = {field["name"]: field for field in spec.get("fields", [])}
        files = set(files)
        attached = {value.removeprefix("attach://") for value in params.values()
                    if isinstance(value, str) and value.startswith("attach://")}
        found: list[str] = []
        for name in sorted(set(params) | files):
            field = fields.get(name)
            if field is None:
                if name not in attached:  # a file part named by an attach://<part> value is fine
                    found.append(f"{name}: not a parameter of this method")
            elif name in files:
                if "InputFile" not in field["types"]:
                    found.append(f"{name}: sent as a file, but its type is {' or '.join(field['types'])}")
            else:
                found += self._check_value(name, params[name], field["types"], from_form=True)
        found += [f"{name}: required" for name, field in fields.items()
                  if field["required"] and name not in params and name not in files]
        return [f"{spec['name']} request {text}" for text in found]

    def check(self, method: str, params: Mapping[str, Any], files: Iterable[str], status: int,
              body: Any) -> list[str]:
        """Violations of one call: its parameters (unless refused as invalid, see REFUSED_AS_INVALID; a method
        that does not exist is answered 404 by the fake, and by Telegram) and its answer."""
        refused = status == REFUSED_AS_INVALID or (status == 404 and method.lower() not in self.methods)
        found = [] if refused else self.check_call(method, params, files)
        return found + self.check_answer(method, status, body)

    def check_answer(self, method: str, status: int, body: Any) -> list[str]:
        """The envelope of every answer, and on success the `result` against the method's return type."""
        spec = self.methods.get(method.lower())
        name = spec["name"] if spec else method
        if not isinstance(body, dict) or not isinstance(body.get("ok"), bool):
            return [f"{name} answer {status}: not a Bot API envelope ({{ok, result}} or {{ok, error_code, ...}})"]
        found: list[str] = []
        if body["ok"]:
            found += [f"{key}: not in a successful answer" for key in sorted(set(body) - {"ok", "result",
                                                                                        "description"})]
            if status != 200:
                found.append(f"ok: true with HTTP status {status}")
            if "result" not in body:
                found.append("result: required")
            elif spec is not None:
                found += self._check_value("result", body["result"], spec["returns"])
        else:
            found += [f"{key}: not in an error answer" for key in sorted(set(body) - {"ok", "error_code",
                                                                                    "description", "parameters"})]
            code = body.get("error_code")
            if not isinstance(code, int) or isinstance(code, bool) or code != status:
                found.append(f"error_code: {code!r}, but the HTTP status is {status}")
            if not isinstance(body.get("description"), str):
                found.append("description: required, a String")
            if "parameters" in body:
                found += self._check_value("parameters", body["parameters"], ["ResponseParameters"])
        return [f"{name} answer {status} {text}" for text in found]

    # Values are checked recursively; each error names the field by its path, e.g. result.chat.type.

    def _check_value(self, where: str, value: Any, types: list[str], *, from_form: bool = False) -> list[str]:
        """`value` is one of `types` (no errors), or the errors of the type it comes closest to."""
        best: list[str] = []
        for type_name in types:
            errors = self._check_type(where, value, type_name, from_form=from_form)
            if not errors:
                return []
            if not best or len(errors) < len(best):
                best = errors
        return best

    def _check_type(self, where: str, value: Any, type_name: str, *, from_form: bool) -> list[str]:
        shown = f"{value!r:.80}"
        if type_name in _PRIMITIVES:
            return [] if _primitive(value, type_name, from_form) else [f"{where}: {shown} is not {type_name}"]
        if type_name == "InputFile":  # outside a file part, only a reference to one
            if from_form and isinstance(value, str) and value.startswith("attach://"):
                return []
            return [f"{where}: {shown} is not InputFile (a file part, or attach://<part>)"]
        if from_form and isinstance(value, str):  # arrays and objects travel JSON-encoded in form data
            try:
                value = json.loads(value)
            except ValueError:
                return [f"{where}: {shown} is not JSON-encoded {type_name}"]
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{where}: {shown} is not {type_name}"]
            inner = type_name.removeprefix("Array of ")
            return [error for index, item in enumerate(value)
                    for error in self._check_type(f"{where}[{index}]", item, inner, from_form=False)]
        spec = self.types.get(type_name)
        if spec is None:
            return [f"{where}: unknown type {type_name} in the Bot API"]
        if "subtypes" in spec:
            return self._check_value(where, value, list(spec["subtypes"]))
        if not isinstance(value, dict):
            return [f"{where}: {shown} is not {type_name}"]
        fields = {field["name"]: field for field in spec.get("fields", [])}
        if not fields:
            return []  # a placeholder type without fields (e.g. CallbackGame)
        found = [f"{where}.{name}: not a field of {type_name}" for name in value if name not in fields]
        for name, field in fields.items():
            if name in value:
                found += self._check_value(f"{where}.{name}", value[name], field["types"])
            elif field["required"]:
                found.append(f"{where}.{name}: required in {type_name}")
        for name, constant in self._constants.get(type_name, {}).items():
            if name in value and value[name] != constant:
                found.append(f"{where}.{name}: {value[name]!r} is not {constant!r}, as in {type_name}")
        return found


def _primitive(value: Any, type_name: str, from_form: bool) -> bool:
    if from_form and isinstance(value, str):
        # Form data is text: a number or a flag must read as one.
        if type_name == "String":
            return True
        if type_name == "Integer":
            return bool(_INT_TEXT.fullmatch(value))
        if type_name == "Float":
            return bool(_FLOAT_TEXT.fullmatch(value))
        return value in ("true", "false") if type_name == "Boolean" else value == "true"
    if type_name == "String":
        return isinstance(value, str)
    if type_name == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "Boolean":
        return isinstance(value, bool)
    return value is True  # "True": a flag only ever present as true
