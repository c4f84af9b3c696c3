#!/usr/bin/env python3
"""List every external command the project invokes, and check that each is
provided by an Essential Debian package or by a package scripts/build/setup.sh
installs (or one of their dependencies).

Commands are found by parsing, not by looking at what this machine has: shell
files through shfmt's syntax tree (including the shell that scripts generate:
the guests' init heredocs, 'bash -c' strings, cfg_guest_mount's output),
Python files through their syntax tree (subprocess calls) and Makefile
recipes. So a command that no installed package provides is reported as
missing even on a machine where it was never installed.

usage: tests/deps.py [--list] [--also FILE...]
  --list         print each command with the package that provides it
  --also FILE... scan these files too (the test uses it to see a failure)
exit status: 0 when every command is provided, 1 otherwise, 2 on usage or
when a tool this check needs (shfmt, dpkg-query) is missing.

The commands only 'make paper' needs (scripts/build/setup.sh --paper-commands)
come from packages only 'setup.sh --paper' installs: where installed, they
are checked like the rest; where not, they are listed as paper-only, not
missing, so a machine that never built the paper passes.
"""
import ast
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Where the project's code lives; results/ and paper/ hold data and prose.
SCAN = [".ci", "Makefile", "baselines", "scripts", "tests", "workloads", "impl"]
BIN_DIRS = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
# Commands that run their arguments as another command.
WRAPPERS = {"setsid", "env", "timeout", "prlimit", "strace", "xargs", "nice",
            "nohup", "exec", "command", "chroot", "stdbuf", "taskset", "ionice",
            "unshare", "nsenter", "systemd-nspawn", "perf", "sudo"}
# Functions whose output is shell that runs in a guest.
SHELL_PRINTERS = {"cfg_guest_mount"}
SUBPROCESS_CALLS = {"run", "call", "check_call", "check_output", "Popen"}
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")


class Found:
    def __init__(self):
        self.commands = {}      # name or absolute path -> set of "file:line"
        self.functions = set()  # shell functions the project defines

    def add(self, name, where):
        self.commands.setdefault(name, set()).add(where)


def shfmt_tree(text, where):
    p = subprocess.run(["shfmt", "--to-json", "-ln", "bash"], input=text.encode(),
                       capture_output=True)
    if p.returncode != 0:
        sys.exit(f"deps: cannot parse {where} as shell: {p.stderr.decode().strip()}")
    return json.loads(p.stdout)


def word_literal(word):
    """The word's value if it has no expansion, else None."""
    out = []
    for part in word.get("Parts", []):
        t = part.get("Type")
        if t == "Lit":
            out.append(part["Value"])
        elif t == "SglQuoted":
            out.append(part["Value"])
        elif t == "DblQuoted":
            inner = word_literal(part)
            if inner is None:
                return None
            out.append(inner)
        else:
            return None
    return "".join(out)


def unescape_heredoc(text):
    # An unquoted heredoc's \$, \` and \\ become $, ` and \ in the output.
    return re.sub(r"\\([$`\\])", r"\1", text)


class ShellScanner:
    def __init__(self, found, text, where):
        self.found, self.text, self.where = found, text, where

    def src(self, node):
        return self.text[node["Pos"]["Offset"]:node["End"]["Offset"]]

    def line(self, node):
        return f"{self.where}:{node['Pos']['Line']}"

    def scan(self):
        self.walk(shfmt_tree(self.text, self.where), None)

    def sub(self, text, node):
        # Generated shell: report lines of the outer file.
        ShellScanner(self.found, text, self.line(node)).scan()

    def walk(self, node, func):
        if isinstance(node, list):
            for n in node:
                self.walk(n, func)
            return
        if not isinstance(node, dict):
            return
        t = node.get("Type")
        if t == "FuncDecl":
            func = node["Name"]["Value"]
            self.found.functions.add(func)
        elif t == "CallExpr" and node.get("Args"):
            self.call(node, func)
        elif t == "CallExpr":
            # NAME=/usr/lib/... alone: a program the scripts run by path.
            for a in node.get("Assigns") or []:
                v = word_literal(a["Value"]) if a.get("Value") else None
                if v and v.startswith(("/usr/", "/bin/", "/sbin/")):
                    self.command(v, node)
        if "Hdoc" in node and node["Hdoc"]:
            # The body as written, without its closing delimiter line.
            body = self.src(node["Hdoc"]).rsplit("\n", 1)[0]
            if re.match(r"#!\S*\b(ba)?sh\b", body):
                self.sub(unescape_heredoc(body), node["Hdoc"])
        for k, v in node.items():
            if k not in ("Pos", "End"):
                self.walk(v, func)

    def call(self, node, func):
        args = node["Args"]
        name = word_literal(args[0])
        if name is None:
            return
        self.command(name, node)
        if name in WRAPPERS:
            self.wrapped(args[1:], node)
        if name in ("bash", "sh") and len(args) > 2 and word_literal(args[1]) == "-c":
            inner = word_literal(args[2])
            if inner is not None:
                self.sub(inner, node)
        if name == "echo" and func in SHELL_PRINTERS:
            for a in args[1:]:
                v, raw = word_literal(a), self.src(a)
                if v is None and raw[:1] == '"' and raw[-1:] == '"':
                    v = re.sub(r'\\(["$`\\])', r"\1", raw[1:-1])
                if v is not None:
                    self.sub(v, node)
        if name == "hlink_need":
            for a in args[1:]:
                v = word_literal(a)
                if v is not None:
                    self.command(v, node)

    def wrapped(self, args, node):
        """The first argument of a wrapper that names a command."""
        for a in args:
            v = word_literal(a)
            if v is None:
                parts = a.get("Parts", [])
                # ${var:+cmd args}: the command that the expansion inserts.
                if len(parts) == 1 and parts[0].get("Type") == "ParamExp" and parts[0].get("Exp"):
                    w = parts[0]["Exp"].get("Word")
                    first = self.src(w).split()[0] if w and self.src(w).split() else ""
                    if NAME_RE.match(first):
                        self.command(first, node)
                    continue
                return
            if v.startswith("-") or "=" in v or v.isdigit() or v == "--":
                continue
            self.command(v, node)
            return

    def command(self, name, node):
        if "/" in name and not name.startswith(("/usr/", "/bin/", "/sbin/")):
            return  # the project's own scripts, or a path built at run time
        if "/" in name or NAME_RE.match(name):
            self.found.add(name, self.line(node))


def scan_python(found, text, where):
    tree = ast.parse(text, where)
    lists = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and isinstance(n.value, (ast.List, ast.Tuple)):
            for t in n.targets:
                if isinstance(t, ast.Name):
                    lists[t.id] = n.value
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.args):
            continue
        mod = n.func.value.id if isinstance(n.func.value, ast.Name) else ""
        if not ((mod == "subprocess" and n.func.attr in SUBPROCESS_CALLS)
                or (mod == "os" and n.func.attr == "system")):
            continue
        arg = n.args[0]
        if isinstance(arg, ast.Name):
            arg = lists.get(arg.id, arg)
        first = arg.elts[0] if isinstance(arg, (ast.List, ast.Tuple)) and arg.elts else arg
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if isinstance(arg, ast.Constant):
                ShellScanner(found, first.value, f"{where}:{n.lineno}").scan()
            else:
                found.add(first.value, f"{where}:{n.lineno}")


def make_var(m):
    return '"$MAKEVAR"'


def scan_makefile(found, text, where):
    text = text.replace("\\\n", " ")
    for i, line in enumerate(text.split("\n"), 1):
        if not line.startswith("\t"):
            continue
        cmd = line.strip().lstrip("@-+")
        cmd = cmd.replace("$$", "\0")
        prev = None
        while prev != cmd:  # innermost $(...) first, so nested ones resolve
            prev = cmd
            cmd = re.sub(r"\$\([^()]*\)", make_var, cmd)
        cmd = re.sub(r"\$[@<^*?]", make_var, cmd)
        cmd = cmd.replace("\0", "$")
        ShellScanner(found, cmd, f"{where}:{i}").scan()


def kind(path):
    base = os.path.basename(path)
    if base == "Makefile" or base == "Kbuild":
        return "make"
    if base.endswith(".py"):
        return "python"
    if base.endswith(".sh"):
        return "shell"
    try:
        with open(path, "rb") as f:
            first = f.readline()
    except OSError:
        return None
    if first.startswith(b"#!"):
        if b"python" in first:
            return "python"
        if re.search(rb"\b(ba)?sh\b", first):
            return "shell"
    return None


def project_files():
    for top in SCAN:
        p = os.path.join(ROOT, top)
        if os.path.isfile(p):
            yield p
        for d, _, files in os.walk(p):
            for f in sorted(files):
                yield os.path.join(d, f)


def scan_project(also):
    found = Found()
    for path in list(project_files()) + also:
        k = kind(path)
        if k is None:
            continue
        rel = os.path.relpath(path, ROOT) if path.startswith(ROOT + "/") else path
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if k == "shell":
            ShellScanner(found, text, rel).scan()
        elif k == "python":
            scan_python(found, text, rel)
        elif k == "make" and os.path.basename(path) == "Makefile":
            scan_makefile(found, text, rel)
    return found


def dpkg_owners():
    """Path of every file in a bin directory -> the packages that ship it."""
    owners = {}
    for lst in glob.glob("/var/lib/dpkg/info/*.list"):
        pkg = os.path.basename(lst)[:-5].split(":")[0]
        with open(lst, errors="replace") as f:
            for p in f:
                p = p.rstrip("\n")
                if os.path.dirname(p) in BIN_DIRS:
                    owners.setdefault(p, set()).add(pkg)
    return owners


def providers(cmd, owners):
    paths = [cmd] if cmd.startswith("/") else [os.path.join(d, cmd) for d in BIN_DIRS]
    for p in paths:
        for q in (p, os.path.realpath(p)):  # an alternative resolves to its target
            # usrmerge: /bin/x and /usr/bin/x are one file under two names.
            for r in (q, q.replace("/usr/", "/", 1), "/usr" + q):
                if r in owners:
                    return sorted(owners[r])
    if cmd.startswith("/"):  # a file by path, outside the bin directories
        p = subprocess.run(["dpkg-query", "-S", cmd], capture_output=True, text=True)
        if p.returncode == 0:
            return sorted({o.split(":")[0] for line in p.stdout.splitlines()
                           for o in line.rsplit(": ", 1)[0].split(", ")})
    return []


def installed_packages():
    out = subprocess.run(["dpkg-query", "-W", "-f",
                          "${Package}\t${Essential}\t${Status}\t${Pre-Depends}, ${Depends}\n"],
                         capture_output=True, text=True, check=True).stdout
    pkgs = {}
    for line in out.splitlines():
        name, essential, status, deps = line.split("\t")
        if not status.endswith(" installed"):
            continue
        names = [re.split(r"[\s(:]", alt.strip())[0]
                 for d in deps.split(",") for alt in d.split("|") if alt.strip()]
        pkgs[name] = (essential == "yes", names)
    return pkgs


def setup_list(option):
    return subprocess.run([os.path.join(ROOT, "scripts", "build", "setup.sh"), option],
                          capture_output=True, text=True, check=True).stdout.split()


def allowed_packages():
    """Essential packages, setup's packages (--paper's too), and what they
    depend on."""
    setup = setup_list("--list") + setup_list("--list-paper")
    pkgs = installed_packages()
    why = {p: "essential" for p, (ess, _) in pkgs.items() if ess}
    todo = []
    for p in setup:
        why.setdefault(p, "setup.sh")
        todo.append(p)
    todo += [p for p, w in why.items() if w == "essential"]
    while todo:
        p = todo.pop()
        for d in pkgs.get(p, (False, []))[1]:
            if d in pkgs and d not in why:
                why[d] = f"needed by {p}"
                todo.append(d)
    return why, setup


def main():
    args = sys.argv[1:]
    listing = args[:1] == ["--list"]
    args = args[1:] if listing else args
    if args and args[0] != "--also":
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    for tool in ("shfmt", "dpkg-query"):
        if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode:
            print(f"deps: {tool} is missing (scripts/build/setup.sh installs it)", file=sys.stderr)
            sys.exit(2)
    found = scan_project([os.path.abspath(a) for a in args[1:]])
    builtins = set(subprocess.run(["bash", "-c", "compgen -b; compgen -k"],
                                  capture_output=True, text=True).stdout.split())
    owners = dpkg_owners()
    why, setup = allowed_packages()
    paper_only = set(setup_list("--paper-commands"))
    bad = 0
    used = set()
    for cmd in sorted(found.commands):
        if cmd in builtins or cmd in found.functions:
            continue
        where = sorted(found.commands[cmd])
        pk = providers(cmd, owners)
        ok = [p for p in pk if p in why]
        if not pk and cmd in paper_only:
            print(f"PAPER    {cmd}: needed only by make paper, not installed here "
                  "(scripts/build/setup.sh --paper installs it)")
        elif not pk:
            print(f"MISSING  {cmd}: no installed Debian package provides it "
                  f"(used at {', '.join(where[:3])}); add its package to scripts/build/setup.sh")
            bad += 1
        elif not ok:
            print(f"MISSING  {cmd}: provided by {', '.join(pk)}, which scripts/build/setup.sh does not "
                  f"install (used at {', '.join(where[:3])})")
            bad += 1
        else:
            used.update(ok)
            if listing:
                print(f"{cmd:28} {ok[0]} ({why[ok[0]]})")
    print(f"deps: {len([c for c in found.commands if c not in builtins and c not in found.functions])}"
          f" commands checked, {bad} missing")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
