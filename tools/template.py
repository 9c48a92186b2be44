"""Reading template.yaml: the one source of routes, functions and the table schema."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation short tags (!Ref, !GetAtt, !Sub) as plain values."""


def _tagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {tag: value}


_CloudFormationLoader.add_multi_constructor("!", _tagged)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain data; short tags become {"Ref": ...}-like mappings."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_CloudFormationLoader)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    code_dir: Path
    handler: str


def routes(template: dict[str, Any] | None = None) -> list[Route]:
    """Every HttpApi route of the template with the function that serves it."""
    template = template or load_template()
    handler_default = template["Globals"]["Function"]["Handler"]
    found = []
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        for event in properties.get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            found.append(
                Route(
                    method=event["Properties"]["Method"].upper(),
                    path=event["Properties"]["Path"],
                    function=name,
                    code_dir=ROOT / properties["CodeUri"],
                    handler=properties.get("Handler", handler_default),
                )
            )
    return found


def table_definition(
    table_name: str,
    template: dict[str, Any] | None = None,
    resource: str = "EntriesTable",
) -> dict:
    """create_table arguments for EntriesTable or TokensTable of the template."""
    template = template or load_template()
    properties = template["Resources"][resource]["Properties"]
    return {
        "TableName": table_name,
        "BillingMode": properties["BillingMode"],
        "AttributeDefinitions": properties["AttributeDefinitions"],
        "KeySchema": properties["KeySchema"],
        "GlobalSecondaryIndexes": properties["GlobalSecondaryIndexes"],
    }
