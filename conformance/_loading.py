"""Load a verified target FILE into a fresh module: a plain ``.py`` file, a script exported
from Jupyter, or an ``.ipynb`` notebook.

Three kinds of file are told apart:

* A ``.py`` file without cell markers is compiled as a module (a syntax error becomes
  :class:`TargetSyntaxError`), then its top-level statements run one by one in the module's
  namespace: a statement that raises is skipped and reported as a :class:`CellProblem` of
  kind ``"statement"``, so that a notebook exported without its data sets or course helpers
  still defines the functions to check.
* A script exported from Jupyter, with ``# In[N]:`` markers (``jupyter nbconvert --to
  script``) or ``# %%`` markers (VS Code, jupytext), is split into cells at the markers.
  Markdown and raw cells (``# %% [markdown]``) are not code cells and are skipped, and so is
  a preamble of comments only (the shebang, the ``# coding`` line, jupytext's YAML header).
  A preamble that has code counts as the first cell.
* An ``.ipynb`` notebook (nbformat 4, or nbformat 3 with ``worksheets``) gives its code
  cells in order.

The cells run one by one in the module's namespace, the way a notebook runs them. A cell
that fails, at compile time or while running, is recorded as a :class:`CellProblem` and
skipped; whatever it defined before it failed stays, and later cells still run. Loading
fails only when not one cell could be compiled.

IPython's syntax is not Python, and none of it matters for checking the functions a
notebook defines, so it is dropped before a cell is compiled. What is dropped, and why:

* A cell whose first non-blank line starts with ``%%`` (a cell magic: ``%%time``,
  ``%%writefile``, ``%%capture``) is skipped entirely: its body is not necessarily Python,
  and in course notebooks it is usually a long training run or a file written to disk.
* A line whose first non-blank character is ``!`` (a shell command, ``!pip install``) or
  ``%`` (a line magic, ``%matplotlib inline``) becomes ``pass`` at the same indentation:
  it installs or configures something, and ``pass`` keeps the block it is in valid and
  the cell's line numbers unchanged. ``name = !ls`` and ``name = %timeit -o f()`` become
  ``name = None``.
* A help query (``np.mean?``, ``??sigmoid``) becomes ``pass`` too: it only prints help.

Only lines that begin a logical line are dropped, never a line inside brackets or a
triple-quoted string (``(a\\n % b)`` is Python). In exported scripts, nbconvert has already
turned magics into ``get_ipython().run_line_magic(...)`` and ``get_ipython().system(...)``
calls: the module's globals get a ``get_ipython`` whose every method does nothing and
returns None (so ``%%time`` cells exported as ``run_cell_magic`` do not run either, as in
a notebook), and Jupyter's built-in ``display``, which does nothing either.

The target's folder goes at the front of ``sys.path`` so that it can import the files
beside it (course helpers such as ``testCases_v2.py``), and ``MPLBACKEND`` defaults to
``Agg`` so that ``plt.show()`` returns at once. What the cells print is not captured.
"""

from __future__ import annotations
import __future__

import ast
import importlib.machinery
import importlib.util
import json
import linecache
import os
import re
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CellProblem", "TargetSyntaxError", "load_file"]

FIRST_LINE_WIDTH = 80

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

# nbconvert's ``# In[3]:`` (``# In[ ]:`` for a cell never run); ``# %%`` and ``#%%``
# (VS Code, jupytext, Spyder), optionally followed by a title, ``[markdown]`` or tags.
_IN_MARKER = re.compile(r"#\s*In\[\s*\d*\s*\]:?\s*")
_PERCENT_MARKER = re.compile(r"#\s*%%(?P<rest>.*)")
_NOT_CODE = re.compile(r"\s*\[(?:markdown|md|raw)\]", re.IGNORECASE)
# ``obj?``, ``obj.attr??``, ``np.*load*?``, ``?obj``: never valid Python at the start of a line.
_HELP_QUERY = re.compile(r"\s*(?:\?{1,2}\s*[\w.*]+|[\w.*\[\]]+\?{1,2})\s*")
_ASSIGNED_MAGIC = re.compile(r"(?P<indent>\s*)(?P<name>[A-Za-z_]\w*)\s*=\s*[!%]")


@dataclass(frozen=True)
class CellProblem:
    """A cell that failed and was skipped.

    ``cell`` is 1-based and counts code cells only; ``line`` is the line inside the cell
    where it failed (None if unknown); ``first_line`` is the cell's first non-blank line, cut
    to 80 characters; ``error`` is ``"Type: message"``, the message's first line only.
    """

    cell: int
    line: int | None
    first_line: str
    error: str
    #: ``"cell"``, or ``"statement"`` for a plain ``.py`` file, whose top-level statements run
    #: one by one (``cell`` is then the statement's first line).
    kind: str = "cell"


class TargetSyntaxError(Exception):
    """The target cannot be compiled: a plain ``.py`` file with a syntax error, or a
    notebook none of whose cells compiles (then ``cell`` is the first cell that failed).

    ``str()`` is ``"FILE, line N: message"`` (``"FILE, cell K, line N: message"`` for a
    notebook), followed by the offending source line when it is known.
    """

    def __init__(self, path: str, line: int | None, message: str, text: str | None = None,
                 cell: int | None = None) -> None:
        super().__init__(path, line, message, text, cell)
        self.path = path
        self.line = line
        self.message = message
        self.text = text
        self.cell = cell

    def __str__(self) -> str:
        where = [self.path]
        if self.cell is not None:
            where.append(f"cell {self.cell}")
        if self.line is not None:
            where.append(f"line {self.line}")
        head = f"{', '.join(where)}: {self.message}"
        source = (self.text or "").strip()
        return f"{head}\n    {source}" if source else head


class _IPythonStandIn:
    """What ``get_ipython()`` returns to an exported script: magics and shell commands do
    nothing and return None, and so does any other method."""

    def run_line_magic(self, *args: object, **kwargs: object) -> None:
        return None

    run_cell_magic = system = magic = getoutput = run_line_magic

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name.startswith("__"):  # keep copy, pickle and friends from finding a hook
            raise AttributeError(name)
        return _no_op

    def __repr__(self) -> str:
        return "<get_ipython() stand-in: gradspec runs no IPython>"


def _no_op(*args: object, **kwargs: object) -> None:
    return None


_IPYTHON = _IPythonStandIn()


def get_ipython() -> _IPythonStandIn:
    """The stand-in for IPython's ``get_ipython()``, put in the globals of cell-run targets."""
    return _IPYTHON


def load_file(path: str | os.PathLike[str], *,
              module_name: str = "gradspec_target") -> tuple[types.ModuleType, list[CellProblem]]:
    """Load the target FILE into a fresh module registered as ``sys.modules[module_name]``.

    Returns the module and the cells (a plain file's top-level statements) that failed and
    were skipped. A syntax error raises :class:`TargetSyntaxError`, as does a notebook none
    of whose cells compiles. A file that is not readable raises ``OSError``,
    an ``.ipynb`` that is not a notebook ``ValueError``.
    """
    shown = os.fspath(path)
    filename = os.path.abspath(shown)
    os.environ.setdefault("MPLBACKEND", "Agg")
    if Path(filename).suffix.lower() == ".ipynb":
        return _run_cells(shown, filename, module_name, _notebook_cells(shown, filename))
    data = Path(filename).read_bytes()
    try:
        text = importlib.util.decode_source(data)
    except (SyntaxError, UnicodeDecodeError):  # compile() reports it below, with the line
        cells = None
    else:
        cells = _script_cells(text)
    if cells is not None:
        return _run_cells(shown, filename, module_name, cells)
    return _run_module(shown, filename, module_name, data)


def _run_module(shown: str, filename: str, module_name: str, data: bytes
                ) -> tuple[types.ModuleType, list[CellProblem]]:
    """Compile the whole file (a syntax error anywhere is the file's), then run its top-level
    statements one by one, as cells of one line each: a statement that fails (the import of
    a course helper that is not there, a data set that is not there) is skipped and reported,
    and the functions the file defines are still there to check."""
    try:
        tree = compile(data, filename, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        raise TargetSyntaxError(shown, exc.lineno, exc.msg, exc.text) from exc
    except ValueError as exc:  # null bytes, on Python 3.11
        raise TargetSyntaxError(shown, None, str(exc)) from exc
    loader = importlib.machinery.SourceFileLoader(module_name, filename)
    spec = importlib.util.spec_from_file_location(module_name, filename, loader=loader)
    module = _register(module_name, spec, filename)
    _insert_folder(filename)
    problems: list[CellProblem] = []
    flags = 0
    for statement in tree.body:
        code = compile(ast.Module([statement], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True)
        flags |= code.co_flags & _FUTURE_FLAGS
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the statement is skipped
            text = ast.get_source_segment(importlib.util.decode_source(data), statement) or ""
            problems.append(CellProblem(statement.lineno, _failing_line(exc, filename), _first_line(text),
                                        _describe(exc), kind="statement"))
    return module, problems


def _run_cells(shown: str, filename: str, module_name: str,
               sources: list[str]) -> tuple[types.ModuleType, list[CellProblem]]:
    spec = importlib.machinery.ModuleSpec(module_name, None, origin=filename)
    spec.has_location = True
    module = _register(module_name, spec, filename)
    module.__dict__.update(get_ipython=get_ipython, display=_no_op)
    folder = _insert_folder(filename)
    base = os.path.basename(filename)
    problems: list[CellProblem] = []
    first_syntax_error: tuple[int, SyntaxError | ValueError] | None = None
    compiled = 0
    flags = 0  # the __future__ imports of earlier cells hold in later ones, as in IPython
    for number, source in enumerate(sources, start=1):
        code_text = _drop_ipython_syntax(source)
        if code_text is None:
            continue
        cell_filename = f"<{base}, cell {number}>"
        linecache.cache[cell_filename] = (len(code_text), None, code_text.splitlines(keepends=True), cell_filename)
        try:
            code = compile(code_text, cell_filename, "exec", flags=flags, dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            line = exc.lineno if isinstance(exc, SyntaxError) else None
            problems.append(CellProblem(number, line, _first_line(source), _describe(exc)))
            if first_syntax_error is None:
                first_syntax_error = (number, exc)
            continue
        compiled += 1
        flags |= code.co_flags & _FUTURE_FLAGS
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the cell is skipped
            problems.append(CellProblem(number, _failing_line(exc, cell_filename), _first_line(source),
                                        _describe(exc)))
    if compiled == 0 and first_syntax_error is not None:
        _unregister(module_name, module, folder)
        number, exc = first_syntax_error
        if isinstance(exc, SyntaxError):
            raise TargetSyntaxError(shown, exc.lineno, exc.msg, exc.text, cell=number) from exc
        raise TargetSyntaxError(shown, None, str(exc), cell=number) from exc
    return module, problems


def _register(module_name: str, spec: importlib.machinery.ModuleSpec | None, filename: str) -> types.ModuleType:
    if spec is None:  # pragma: no cover - spec_from_file_location with a loader always gives one
        spec = importlib.machinery.ModuleSpec(module_name, None, origin=filename)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = filename
    sys.modules[module_name] = module
    return module


def _insert_folder(filename: str) -> str | None:
    """Put the target's folder first on ``sys.path``; the folder if it was inserted."""
    folder = os.path.dirname(filename)
    if sys.path and sys.path[0] == folder:
        return None
    sys.path.insert(0, folder)
    return folder


def _unregister(module_name: str, module: types.ModuleType, folder: str | None) -> None:
    if sys.modules.get(module_name) is module:
        del sys.modules[module_name]
    if folder is not None and folder in sys.path:
        sys.path.remove(folder)


def _notebook_cells(shown: str, filename: str) -> list[str]:
    """The code cells' sources, in order, of an nbformat 4 (or 3) notebook."""
    try:
        notebook = json.loads(Path(filename).read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{shown} is not a Jupyter notebook (nbformat JSON): {exc}") from exc
    if isinstance(notebook, dict) and isinstance(notebook.get("cells"), list):
        cells, key = notebook["cells"], "source"
    elif isinstance(notebook, dict) and isinstance(notebook.get("worksheets"), list):
        cells = [cell for sheet in notebook["worksheets"] if isinstance(sheet, dict)
                 for cell in sheet.get("cells", [])]
        key = "input"
    else:
        raise ValueError(f"{shown} is not a Jupyter notebook: no 'cells' (nbformat 4) or 'worksheets' (nbformat 3)")
    sources = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get(key, "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        sources.append(source if isinstance(source, str) else "")
    return sources


def _script_cells(text: str) -> list[str] | None:
    """The code cells of a script exported from Jupyter; None if it has no cell markers.

    ``# In[N]:`` markers win over ``# %%`` ones (nbconvert writes markdown as comments, and
    a markdown line ``%% ...`` must not split a cell). Each cell loses its leading blank
    lines, so that its line 1 is the notebook cell's line 1.
    """
    lines = text.splitlines(keepends=True)
    markers = [i for i, line in enumerate(lines) if _IN_MARKER.fullmatch(line.rstrip("\r\n"))]
    code_at: dict[int, bool] = dict.fromkeys(markers, True)
    if not markers:
        for i, line in enumerate(lines):
            found = _PERCENT_MARKER.fullmatch(line.rstrip("\r\n"))
            if found:
                code_at[i] = not _NOT_CODE.match(found["rest"])
        markers = sorted(code_at)
    if not markers:
        return None
    cells = []
    preamble = lines[: markers[0]]
    if any(line.strip() and not line.lstrip().startswith("#") for line in preamble):
        cells.append("".join(preamble))
    for start, end in zip(markers, [*markers[1:], len(lines)], strict=True):
        if not code_at[start]:
            continue
        body = lines[start + 1 : end]
        while body and not body[0].strip():
            body.pop(0)
        cells.append("".join(body))
    return cells


def _drop_ipython_syntax(source: str) -> str | None:
    """The cell as Python: None for a cell magic or a cell without code, else the source with
    shell commands, line magics and help queries replaced (see the module's docstring)."""
    lines = source.splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    if first.lstrip().startswith("%%"):
        return None
    kept: list[str] = []
    has_code = False
    depth, continued = 0, False
    quote: str | None = None
    for line in lines:
        body = line.rstrip("\r\n")
        if depth == 0 and quote is None and not continued:  # a logical line starts here
            stripped = body.strip()
            indent = body[: len(body) - len(body.lstrip())]
            if stripped[:1] in ("!", "%") or _HELP_QUERY.fullmatch(body):
                kept.append(f"{indent}pass\n")
                continue
            assigned = _ASSIGNED_MAGIC.match(body)
            if assigned:
                kept.append(f"{assigned['indent']}{assigned['name']} = None\n")
                has_code = True
                continue
            has_code = has_code or bool(stripped and not stripped.startswith("#"))
        kept.append(line)
        depth, quote, continued = _scan(body, depth, quote)
    return "".join(kept) if has_code else None


def _scan(body: str, depth: int, quote: str | None) -> tuple[int, str | None, bool]:
    """Python's lexical state after the line ``body`` (without its newline), from the state
    before it: the depth of open brackets, the string still open (its quote), and whether a
    backslash continues the line. Linear, and the same on every Python version; f-strings
    that nest the same quotes (Python 3.12) are rare enough to be read as two strings."""
    i, n = 0, len(body)
    while i < n:
        char = body[i]
        if quote is not None:
            if char == "\\":
                if i == n - 1:  # an escaped newline: the string goes on
                    return depth, quote, True
                i += 2
            elif body.startswith(quote, i):
                i += len(quote)
                quote = None
            else:
                i += 1
            continue
        if char == "#":
            break
        if char in "'\"":
            quote = char * 3 if body.startswith(char * 3, i) else char
            i += len(quote)
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == "\\" and i == n - 1:
            return depth, quote, True
        i += 1
    if quote is not None and len(quote) == 1:  # unterminated: compile() reports it
        quote = None
    return depth, quote, False


def _first_line(source: str) -> str:
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return line[:FIRST_LINE_WIDTH]


def _describe(exc: BaseException) -> str:
    """``Type: message``, the message's first line; just ``Type`` when it has none."""
    if isinstance(exc, SyntaxError):
        message = exc.msg or ""
    else:
        try:
            message = str(exc)
        except Exception:  # an exception whose __str__ fails
            message = ""
    lines = message.strip().splitlines()
    name = type(exc).__name__
    return f"{name}: {lines[0]}" if lines else name


def _failing_line(exc: BaseException, cell_filename: str) -> int | None:
    """The line of the deepest traceback frame that is in the cell."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == cell_filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
