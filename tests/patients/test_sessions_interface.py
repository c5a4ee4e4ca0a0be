"""The patient pages read a patient's care only through the sessions app's public interface."""

import ast
from pathlib import Path

import patients

PUBLIC_INTERFACE = "sessions.selectors"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_patients_import_only_the_public_interface_of_sessions():
    package = Path(patients.__file__).parent
    offending = {
        f"{path.relative_to(package)}: {module}"
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        for module in imported_modules(path)
        if (module == "sessions" or module.startswith("sessions.")) and module != PUBLIC_INTERFACE
    }
    assert not offending
