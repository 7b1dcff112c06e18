"""The installed layout: import names, the generated module, the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import gradspec
import gradspec.conformance
import gradspec.reference
import gradspec.spec


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("module", [gradspec.spec, gradspec.reference, gradspec.conformance])
def test_folders_import_under_the_gradspec_package(module):
    assert module.__name__.startswith("gradspec.")
    assert module.__spec__.parent == module.__name__


def test_bare_folder_names_are_never_imported():
    # The test run has imported the whole package by now; none of it under a bare name.
    assert not {"spec", "reference", "conformance"} & set(sys.modules)


def test_importing_the_reference_does_not_import_sympy():
    code = "import sys, gradspec.reference.notebook; print('sympy' in sys.modules)"
    result = run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_public_names_are_declared():
    for module in (gradspec.reference, gradspec.spec, gradspec.conformance):
        assert module.__all__, module
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_version_and_help():
    version = run("-m", "gradspec", "--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"gradspec {gradspec.__version__}"
    assert gradspec.__version__ == "0.1.0"
    help_ = run("-m", "gradspec", "--help")
    assert help_.returncode == 0
    assert "demo" in help_.stdout


def test_no_command_is_a_usage_error():
    result = run("-m", "gradspec")
    assert result.returncode == 2
    assert "usage: gradspec" in result.stderr


def test_demo_reproduces_every_pinned_case():
    result = run("-m", "gradspec", "demo", "--all")
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(gradspec.conformance.CASES)
    assert f"{count} of {count} cases reproduced" in result.stdout
    assert "MISMATCH" not in result.stdout


def test_ci_runs_the_readmes_test_command():
    root = Path(gradspec.spec.__file__).resolve().parents[1]
    readme, ci = root / "README.md", root / ".ci" / "run"
    if not (readme.is_file() and ci.is_file()):
        pytest.skip("not running from a source checkout")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme.read_text(encoding="utf-8"), re.S)
    main_command, test_command = blocks[0], blocks[1]
    assert "gradspec verify examples/" in main_command
    assert test_command in ci.read_text(encoding="utf-8").splitlines()
