"""statelint on the state machine definition, with dummy ARNs for its `${...}` placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from alpha_monday_local.paths import PROJECT_ROOT
from alpha_monday_local.sfn_runner import STATE_MACHINE_RESOURCE
from alpha_monday_local.template import load_template

DUMMY_ARN = r"arn:aws:lambda:us-east-1:123456789012:function:\1"


def lint_definition() -> subprocess.CompletedProcess[str]:
    properties = load_template()["Resources"][STATE_MACHINE_RESOURCE]["Properties"]
    definition = (PROJECT_ROOT / properties["DefinitionUri"]).read_text()
    with tempfile.TemporaryDirectory() as folder:
        filled = Path(folder) / "weekly_run.asl.json"
        filled.write_text(re.sub(r"\$\{(\w+)\}", DUMMY_ARN, definition))
        statelint = Path(sys.executable).parent / "statelint"
        return subprocess.run(
            [str(statelint), str(filled)], capture_output=True, text=True, check=False
        )


def main() -> int:
    result = lint_definition()
    print(result.stdout + result.stderr or "statelint: the state machine definition is valid")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
