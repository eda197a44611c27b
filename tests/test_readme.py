"""The README's examples do what it says. Its walk-through in the debugger is what Python's debugger
shows: it is replayed, its typed commands fed to pdb, and every line it prints must come out, in
order. Its side-by-side example runs in both packages and gives the same numbers. Its links, and
those of docs/, lead to files and headings that exist."""
import glob
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


NO_ARGUMENTS = {"a", "args", "c", "cont", "continue", "n", "next", "r", "return", "s", "step", "w", "where"}


def without_comment(line):
    return line.split("  #")[0].rstrip()


def test_the_debugger_walk_through_in_the_readme(tmp_path):
    script, transcript = readme_blocks("## One sample in the debugger")
    (tmp_path / "one_sample.py").write_text(script)
    lines = transcript.splitlines()
    typed = [line[len("(Pdb) "):] for line in lines if line.startswith("(Pdb) ")]  # comments too, as pasted
    shown = [without_comment(line) for line in lines if line and not line.startswith("(Pdb) ")]
    assert len(typed) >= 5 and len(shown) >= 5
    # pdb since Python 3.13 refuses any text after a command that takes no argument, a comment too
    assert not [line for line in typed if line.split()[0] in NO_ARGUMENTS and len(line.split()) > 1]
    pdb = subprocess.run([sys.executable, "-m", "pdb", "one_sample.py"], input="\n".join(typed + ["quit"]) + "\n",
                         capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env=dict(os.environ, PYTHONPATH=ROOT))
    output = pdb.stdout.replace("(Pdb) ", "\n")
    assert "***" not in output, f"pdb refused a command of the README's:\n{output}"  # its mark of an error
    position = 0
    for line in shown:
        found = output.find(line, position)
        assert found >= 0, f"the README's {line!r} is not in pdb's output after position {position}:\n{output}"
        position = found + len(line)


def test_the_side_by_side_example_runs_the_same_in_both_packages(tmp_path, monkeypatch):
    (example,) = readme_blocks("## Side by side")[:1]
    assert example.startswith("import purenet as nn")
    monkeypatch.chdir(tmp_path)  # it saves tiny.safetensors
    results = []
    for package in ("purenet", "fastnet"):
        names = {}
        exec(example.replace("import purenet as nn", f"import {package} as nn", 1), names)
        results.append((names["net"].loss(names["X"], names["Y"]), names["net"].forward(names["X"])))
        assert names["nn"].Network.load("tiny.safetensors").sizes == [3, 4, 3]
    (pure_loss, pure_outputs), (fast_loss, fast_outputs) = results
    assert abs(pure_loss - fast_loss) < 1e-6
    assert all(abs(p - f) < 1e-6 for pure, fast in zip(pure_outputs, fast_outputs) for p, f in zip(pure, fast))


def documents():
    """{path: text} of the README and every Markdown file in docs/."""
    paths = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    texts = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            texts[os.path.normpath(path)] = file.read()
    return texts


def heading_anchors(text):
    """The anchors GitHub gives the headings of a Markdown text: lower case, punctuation dropped,
    spaces as hyphens (code blocks left out: their # lines are comments)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    headings = re.findall(r"^#+ (.+)$", text, flags=re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_the_documents_links_lead_somewhere():
    """Every relative link of the README and docs/ names a file that exists and, after a #, a
    heading of it."""
    texts = documents()
    anchors = {path: heading_anchors(text) for path, text in texts.items()}
    broken = []
    for document, text in texts.items():
        name = os.path.relpath(document, ROOT)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            linked = os.path.normpath(os.path.join(os.path.dirname(document), path)) if path else document
            if not os.path.exists(linked):
                broken.append(f"{name}: {target} (no such file)")
            elif anchor and anchor not in anchors.get(linked, ()):
                broken.append(f"{name}: {target} (no such heading)")
    assert not broken, "\n".join(broken)
