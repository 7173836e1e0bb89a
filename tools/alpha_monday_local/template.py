"""Reads template.yaml (with CloudFormation's short tags) for the local tools and tests."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import yaml

from alpha_monday_local.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from alpha_monday.workflow.dependencies import DependencyFactory

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


def load_module(properties: dict[str, Any]) -> ModuleType:
    """Import a function's file, as the Lambda runtime would."""
    path, _ = handler_file(properties)
    module_name = f"lambda_function_{path.parent.name}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_handler(properties: dict[str, Any], factory: DependencyFactory | None = None) -> Handler:
    """A function's handler as the Lambda runtime would load it; for a workflow function
    given a `factory`, the same step's handler with the dependencies that factory makes."""
    # Imported here: the local read server loads no workflow code.
    from alpha_monday.workflow.handler import WorkflowStep  # noqa: PLC0415

    module = load_module(properties)
    step = getattr(module, "step", None)
    if factory is not None and isinstance(step, WorkflowStep):
        return step.handler(factory)
    handler: Handler = getattr(module, handler_file(properties)[1])
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
