"""The README's quickstart, run as written: a researcher copies these snippets first.

The snippets marked ``<!-- quickstart -->`` run in order against a live server on a port that is not
the default, with the demo accounts and founding cases that ``make run`` loads; each must exit 0 and print
what its ``# → …`` lines say. The token snippets are also run with no server listening, where they must say
so in one line, not with a traceback.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cases.demo import load_demo

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MARK = "<!-- quickstart -->"


def quickstart() -> list[tuple[str, str]]:
    """(language, code) of every marked snippet, in README order."""
    return re.findall(re.escape(MARK) + r"\n```(sh|python)\n(.*?)```", README, re.S)


def promised(code: str) -> list[str]:
    """What the ``# → …`` lines say the snippet prints (the text before an ellipsis)."""
    return [line.split("# → ", 1)[1].split("…")[0] for line in code.splitlines() if "# → " in line]


def run(language: str, code: str, port: int, cwd: Path, before: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PORT": str(port)}
    if language == "python":
        command = [sys.executable, "-c", code]
    else:
        # The snippets before this one set TOKEN and API, as they would in the reader's shell.
        command = ["bash", "-c", (f"{{ {before}\n}} >/dev/null 2>&1\n" if before else "") + code]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_starts_with_the_two_commands():
    first = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split()[:2] for line in first.splitlines()] == [["make", "run"], ["make", "test"]]


def test_the_quickstart_is_marked_and_names_no_fixed_port():
    snippets = quickstart()
    assert [language for language, _ in snippets].count("python") == 1 and len(snippets) >= 5
    for _, code in snippets:
        rest = code.replace("${PORT:-8000}", "").replace('os.environ.get("PORT", "8000")', "")
        assert "8000" not in rest, code
        assert promised(code), f"say what this snippet prints:\n{code}"


def test_the_synthetic_registry_command_is_one_the_command_accepts():
    from cases.management.commands.generate_synthetic import Command

    line = re.search(r"^DEBUG=1 \.venv/bin/python manage\.py generate_synthetic .*$", README, re.M).group(0)
    arguments = shlex.split(line)[4:]
    options = Command().create_parser("manage.py", "generate_synthetic").parse_args(arguments)
    assert options.cases == 1000


@pytest.mark.django_db(transaction=True)
def test_every_quickstart_snippet_runs_as_written(live_server, tmp_path):
    load_demo(password="registry-demo")
    port = urlsplit(live_server.url).port
    assert port != 8000
    shell_so_far = ""
    for language, code in quickstart():
        result = run(language, code, port, tmp_path, before=shell_so_far)
        assert result.returncode == 0, f"{code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        assert "Traceback" not in result.stderr
        position = 0
        for text in promised(code):
            found = result.stdout.find(text, position)
            assert found >= 0, f"{code}\ndid not print {text!r}; it printed:\n{result.stdout[:2000]}"
            position = found + len(text)
        if language == "sh":
            shell_so_far += code + "\n"
    assert (tmp_path / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_with_no_server_the_token_snippets_say_so_in_one_line(tmp_path):
    port = free_port()
    token_sh = next(code for language, code in quickstart() if language == "sh" and "auth/token" in code)
    result = run("sh", token_sh, port, tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert f"No token: is `make run` running on port {port}?" in result.stdout.splitlines()

    python = next(code for language, code in quickstart() if language == "python")
    result = run("python", python, port, tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"No answer at http://127.0.0.1:{port}/api/v1: is `make run` running on port {port}?"
    ]
