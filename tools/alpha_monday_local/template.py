"""Reads template.yaml (with CloudFormation's short tags) for the local tools and tests."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from alpha_monday_local.paths import PROJECT_ROOT

TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class CloudFormationLoader(yaml.SafeLoader):
    """YAML loader that turns `!Ref x` into `{"Ref": x}` and `!Sub s` into `{"Fn::Sub": s}`."""


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    document = yaml.load(path.read_text(), Loader=CloudFormationLoader)  # noqa: S506
    assert isinstance(document, dict)
    return document


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every AWS::Serverless::Function's properties, by logical id."""
    return {
        name: resource.get("Properties", {})
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def handler_file(properties: dict[str, Any]) -> tuple[Path, str]:
    """The handler's source file and function name, from CodeUri and Handler."""
    module, function = properties["Handler"].rsplit(".", 1)
    return PROJECT_ROOT / properties["CodeUri"] / f"{module.replace('.', '/')}.py", function


def load_handler(properties: dict[str, Any]) -> Handler:
    """Import a function's handler from its file, as the Lambda runtime would."""
    path, function = handler_file(properties)
    module_name = f"lambda_function_{path.parent.name}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler: Handler = getattr(module, function)
    return handler


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    function_name: str

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path)
        return re.compile(f"^{regex}$")


def api_routes(template: dict[str, Any]) -> list[ApiRoute]:
    """Every `Type: Api` event of every function: the routes API Gateway would serve."""
    routes = []
    for name, properties in functions(template).items():
        for event in properties.get("Events", {}).values():
            if event["Type"] == "Api":
                method = event["Properties"]["Method"].upper()
                routes.append(ApiRoute(method, event["Properties"]["Path"], name))
    return routes
