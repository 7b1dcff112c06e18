"""Loading a target FILE: plain modules, scripts exported from Jupyter, and notebooks run
cell by cell (gradspec.conformance._loading)."""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import pytest

from gradspec.conformance._loading import CellProblem, TargetSyntaxError, load_file

MISSING_HELPER = "ModuleNotFoundError: No module named 'testCases_v2'"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Undo what loading does to the process: sys.path, the modules it registered or
    imported from tmp_path, and MPLBACKEND."""
    monkeypatch.delenv("MPLBACKEND", raising=False)
    path = list(sys.path)
    modules = set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        file = getattr(sys.modules[name], "__file__", None) or ""
        if name.startswith("gradspec_target") or Path(file).is_relative_to(tmp_path):
            del sys.modules[name]


def code(source: str | list[str]) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def markdown(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def write_notebook(path: Path, cells: list[dict]) -> Path:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}},
                "cells": cells}
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


def lines(*source: str) -> list[str]:
    """A cell's source as Jupyter stores it: a list of lines, each but the last with its newline."""
    return [line + "\n" for line in source[:-1]] + [source[-1]]


COURSE_NOTEBOOK = [
    markdown("# Planar data classification\n\nFirst the packages."),
    code(lines("import numpy as np",  # cell 1
               "!pip install numpy",
               "%matplotlib inline",
               "",
               "def sigmoid(z):",
               "    return 1 / (1 + np.exp(-z))")),
    code("%%time\ntrained = train(X, Y)\n"),  # cell 2: a cell magic, skipped
    code(lines("!pip install testCases",  # cell 3: the course helper is not there
               "",
               "from testCases_v2 import *")),
    markdown("## Layer sizes"),
    code(lines("# GRADED FUNCTION: layer_sizes",  # cell 4: defines, then fails on the helper's test case
               "def layer_sizes(X, Y):",
               "    return (X.shape[0], 4, Y.shape[0])",
               "",
               "X_assess, Y_assess = layer_sizes_test_case()",
               "",
               "def defined_after_the_failure():",
               "    return 0")),
    code(lines("def relu(x):",  # cell 5: still runs
               "    return np.maximum(0, x)",
               "",
               "def remainder(a, b):",
               "    return (a",
               "            % b)",
               "",
               "modulo = 10 \\",
               "    % 4",
               "relu?",
               "listing = !ls",
               "if listing is None:",
               "    %time relu(1)",
               "def docstring():",
               '    """Why?',
               "%d percent",
               '"""',
               "    return docstring.__doc__")),
    code(lines("def half(x)",  # cell 6: a syntax error
               "    return x / 2")),
    code(""),  # cell 7: empty
    code(lines("def initialize_parameters(n_x, n_h, n_y):",  # cell 8
               "    return {'W1': np.zeros((n_h, n_x)), 'b1': np.zeros((n_h, 1)),",
               "            'W2': np.zeros((n_y, n_h)), 'b2': np.zeros((n_y, 1))}")),
    code("import sys\nsys.exit(3)\n"),  # cell 9
    code(lines("def forward(X, parameters):",  # cell 10: uses cells 1, 5 and 8
               "    A1 = relu(parameters['W1'] @ X + parameters['b1'])",
               "    return sigmoid(parameters['W2'] @ A1 + parameters['b2'])")),
]


def test_a_notebook_runs_cell_by_cell_and_reports_the_cells_that_fail(tmp_path: Path):
    path = write_notebook(tmp_path / "Planar_data_classification.ipynb", COURSE_NOTEBOOK)
    module, problems = load_file(path)

    assert problems == [
        CellProblem(3, 3, "!pip install testCases", MISSING_HELPER),
        CellProblem(4, 5, "# GRADED FUNCTION: layer_sizes",
                    "NameError: name 'layer_sizes_test_case' is not defined"),
        CellProblem(6, 1, "def half(x)", "SyntaxError: expected ':'"),
        CellProblem(9, 2, "import sys", "SystemExit: 3"),
    ]
    import numpy as np

    assert module.sigmoid(0.0) == 0.5
    assert module.layer_sizes(np.zeros((5, 3)), np.zeros((2, 3))) == (5, 4, 2)  # kept: before the failure
    assert not hasattr(module, "defined_after_the_failure")
    assert not hasattr(module, "trained")  # the %%time cell did not run
    assert not hasattr(module, "half")
    assert module.relu(-2.0) == 0.0 and module.relu(3.0) == 3.0
    assert module.remainder(7, 3) == 1  # a line starting with % inside brackets is Python
    assert module.modulo == 2  # and after a backslash
    assert module.listing is None
    assert module.docstring() == "Why?\n%d percent\n"  # a string's lines are not magics
    parameters = module.initialize_parameters(2, 3, 1)
    assert module.forward(np.ones((2, 4)), parameters).tolist() == [[0.5, 0.5, 0.5, 0.5]]

    assert sys.modules["gradspec_target"] is module
    assert module.__file__ == str(path)
    assert module.__name__ == "gradspec_target"
    assert {module.sigmoid.__module__, module.forward.__module__} == {"gradspec_target"}
    assert sys.path[0] == str(tmp_path)
    assert os.environ["MPLBACKEND"] == "Agg"


def test_the_module_name_is_the_callers(tmp_path: Path):
    path = write_notebook(tmp_path / "nb.ipynb", [code("def f():\n    return 41 + 1\n")])
    module, problems = load_file(path, module_name="gradspec_target_other")
    assert (module.f(), problems) == (42, [])
    assert module.f.__module__ == "gradspec_target_other"
    assert sys.modules["gradspec_target_other"] is module


def test_a_notebook_imports_the_helpers_beside_it(tmp_path: Path):
    (tmp_path / "loading_helper_nb.py").write_text("def test_case():\n    return 3, 4\n", encoding="utf-8")
    path = write_notebook(tmp_path / "nb.ipynb", [
        code("from loading_helper_nb import *\n"),
        code("a, b = test_case()\ndef hypotenuse():\n    return (a * a + b * b) ** 0.5\n"),
    ])
    module, problems = load_file(path)
    assert (module.hypotenuse(), problems) == (5.0, [])


def test_future_imports_hold_in_later_cells_and_the_loaders_own_do_not(tmp_path: Path):
    path = write_notebook(tmp_path / "nb.ipynb", [
        code("def plain(x: int) -> int:\n    return x\n"),
        code("from __future__ import annotations\n"),
        code("def postponed(x: int) -> int:\n    return x\n"),
    ])
    module, problems = load_file(path)
    assert problems == []
    assert module.plain.__annotations__ == {"x": int, "return": int}
    assert module.postponed.__annotations__ == {"x": "int", "return": "int"}


def test_a_notebook_none_of_whose_cells_compiles_is_a_syntax_error(tmp_path: Path):
    path = write_notebook(tmp_path / "broken.ipynb", [
        code("!pip install numpy\n"),
        code("\n\ndef half(x)\n    return x / 2\n"),
        code("print('unclosed'\n"),
    ])
    with pytest.raises(TargetSyntaxError) as raised:
        load_file(path)
    assert str(raised.value) == f"{path}, cell 2, line 3: expected ':'\n    def half(x)"
    assert (raised.value.cell, raised.value.line) == (2, 3)
    assert "gradspec_target" not in sys.modules
    assert str(tmp_path) not in sys.path


def test_a_notebook_of_format_3(tmp_path: Path):
    notebook = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 1, "source": ["Old notebook"]},
        {"cell_type": "code", "language": "python", "input": ["%pylab inline\n", "def double(x):\n",
                                                             "    return 2 * x"], "outputs": []},
        {"cell_type": "code", "language": "python", "input": "import course_helper_v3\n", "outputs": []},
    ]}]}
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    module, problems = load_file(path)
    assert module.double(21) == 42
    assert problems == [CellProblem(2, 1, "import course_helper_v3",
                                    "ModuleNotFoundError: No module named 'course_helper_v3'")]


def test_a_file_that_is_not_a_notebook(tmp_path: Path):
    path = tmp_path / "notes.ipynb"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="is not a Jupyter notebook"):
        load_file(path)


NBCONVERT_SCRIPT = """\
#!/usr/bin/env python
# coding: utf-8

# # Planar data classification
#
# Some markdown, exported as comments.

# In[1]:


import numpy as np
get_ipython().run_line_magic('matplotlib', 'inline')
get_ipython().system('pip install h5py')
backend = __import__('os').environ['MPLBACKEND']


# In[2]:


from planar_utils import plot_decision_boundary


# In[3]:


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# In[ ]:


get_ipython().run_cell_magic('time', '', 'trained = 1\\n')
ip = get_ipython()
ip.anything_else(1, key=2)
assert ip.getoutput('ls') is None and ip.magic('pylab') is None
display(sigmoid)
shape = sigmoid(np.zeros(3)).tolist()
1 / 0
"""


def test_a_script_exported_by_nbconvert(tmp_path: Path):
    path = tmp_path / "planar.py"
    path.write_text(NBCONVERT_SCRIPT, encoding="utf-8")
    module, problems = load_file(path)
    assert problems == [
        CellProblem(2, 1, "from planar_utils import plot_decision_boundary",
                    "ModuleNotFoundError: No module named 'planar_utils'"),
        CellProblem(4, 7, "get_ipython().run_cell_magic('time', '', 'trained = 1\\n')",
                    "ZeroDivisionError: division by zero"),
    ]
    assert module.sigmoid(0.0) == 0.5
    assert module.shape == [0.5, 0.5, 0.5]
    assert not hasattr(module, "trained")
    assert module.backend == "Agg"
    assert module.sigmoid.__module__ == "gradspec_target"


PERCENT_SCRIPT = """\
# ---
# jupyter:
#   kernelspec:
#     name: python3
# ---

# %% [markdown]
# # Activations
# %% An empty cell, with a title

# %%
import math

# %% tags=["graded"]
def relu(x):
    return max(0.0, x)

# %%
%matplotlib inline
!pip install nothing
value = relu(-2.0) + relu(3.0)
undefined_name + 1

#%%
def after():
    return value * 2 + math.floor(0.5)
"""


def test_a_percent_script(tmp_path: Path):
    path = tmp_path / "activations.py"
    path.write_text(PERCENT_SCRIPT, encoding="utf-8")
    module, problems = load_file(path)
    assert problems == [CellProblem(4, 4, "%matplotlib inline", "NameError: name 'undefined_name' is not defined")]
    assert module.relu(-1.0) == 0.0
    assert module.after() == 6.0


def test_a_plain_module_imports_the_files_beside_it(tmp_path: Path):
    (tmp_path / "loading_helper_plain.py").write_text("SCALE = 3\n\ndef triple(x):\n    return SCALE * x\n",
                                                      encoding="utf-8")
    path = tmp_path / "target.py"
    path.write_text("from loading_helper_plain import triple\n\ndef nine():\n    return triple(3)\n",
                    encoding="utf-8")
    module, problems = load_file(str(path))
    assert (module.nine(), problems) == (9, [])
    assert sys.path[0] == str(tmp_path)
    assert sys.modules["gradspec_target"] is module
    assert module.__file__ == str(path)
    assert module.nine.__module__ == "gradspec_target"
    assert not hasattr(module, "get_ipython")  # a plain module gets no notebook globals


def test_a_plain_module_with_a_syntax_error(tmp_path: Path):
    path = tmp_path / "broken.py"
    path.write_text("def ok():\n    return 1\n\ndef half(x)\n    return x / 2\n", encoding="utf-8")
    with pytest.raises(TargetSyntaxError) as raised:
        load_file(path)
    assert str(raised.value) == f"{path}, line 4: expected ':'\n    def half(x)"
    assert (raised.value.path, raised.value.line, raised.value.cell) == (str(path), 4, None)
    assert isinstance(raised.value.__cause__, SyntaxError)
    assert "gradspec_target" not in sys.modules
    assert str(pickle.loads(pickle.dumps(raised.value))) == str(raised.value)  # it can leave the worker


def test_a_plain_module_runs_statement_by_statement_and_skips_the_failing_ones(tmp_path: Path):
    path = tmp_path / "exported.py"
    path.write_text("import numpy as np\nfrom testCases import *\n\ndef f():\n    return 1\n\n"
                    "train_x = load_data()\n\ndef g():\n    return np.float64(2.0)\n", encoding="utf-8")
    module, problems = load_file(path)
    assert (module.f(), module.g()) == (1, 2.0)
    assert problems == [
        CellProblem(2, 2, "from testCases import *", "ModuleNotFoundError: No module named 'testCases'",
                    kind="statement"),
        CellProblem(7, 7, "train_x = load_data()", "NameError: name 'load_data' is not defined", kind="statement"),
    ]


def test_a_missing_file(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        load_file(tmp_path / "nowhere.py")
    with pytest.raises(FileNotFoundError):
        load_file(tmp_path / "nowhere.ipynb")


def test_errors_and_first_lines_are_cut(tmp_path: Path):
    long_line = "x = " + "1 + " * 40 + "undefined"
    path = write_notebook(tmp_path / "nb.ipynb", [
        code(f"\n\n{long_line}  \n"),
        code("raise ValueError('first line\\nsecond line')\n"),
        code("raise KeyboardInterrupt\n"),
    ])
    _, problems = load_file(path)
    assert problems == [
        CellProblem(1, 3, long_line[:80], "NameError: name 'undefined' is not defined"),
        CellProblem(2, 1, "raise ValueError('first line\\nsecond line')", "ValueError: first line"),
        CellProblem(3, 1, "raise KeyboardInterrupt", "KeyboardInterrupt"),
    ]
    assert pickle.loads(pickle.dumps(problems)) == problems


def test_long_cells_load_in_linear_time(tmp_path: Path):
    rows = [f"    [{i}, {i + 1}],\n" for i in range(20000)]
    text = ['TABLE = """\n', *["%d row, ( [\n"] * 20000, '"""\n', "DATA = [\n", *rows, "]\n"]
    path = write_notebook(tmp_path / "data.ipynb", [code(text)])
    module, problems = load_file(path)
    assert problems == []
    assert module.TABLE.count("%d row") == 20000
    assert len(module.DATA) == 20000 and module.DATA[-1] == [19999, 20000]
