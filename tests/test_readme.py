"""The README's walk-through in the debugger is what Python's debugger shows: it is replayed, its
typed commands fed to pdb, and every line it prints must come out, in order."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_blocks(after):
    """The code blocks of the README that follow the line containing `after`: (the script, the
    transcript)."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as readme:
        text = readme.read()
    section = text[text.index(after):]
    return re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)[:2]


def without_comment(line):
    return line.split("  #")[0].rstrip()


def test_the_debugger_walk_through_in_the_readme(tmp_path):
    script, transcript = readme_blocks("## One sample in the debugger")
    (tmp_path / "one_sample.py").write_text(script)
    lines = transcript.splitlines()
    typed = [line[len("(Pdb) "):] for line in lines if line.startswith("(Pdb) ")]  # comments too, as pasted
    shown = [without_comment(line) for line in lines if line and not line.startswith("(Pdb) ")]
    assert len(typed) >= 5 and len(shown) >= 5
    pdb = subprocess.run([sys.executable, "-m", "pdb", "one_sample.py"], input="\n".join(typed + ["quit"]) + "\n",
                         capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env=dict(os.environ, PYTHONPATH=ROOT))
    output = pdb.stdout.replace("(Pdb) ", "\n")
    position = 0
    for line in shown:
        found = output.find(line, position)
        assert found >= 0, f"the README's {line!r} is not in pdb's output after position {position}:\n{output}"
        position = found + len(line)
