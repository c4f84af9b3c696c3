"""python3 scripts/analysis COMMAND [ARGS...]: the analysis's one entry."""
import importlib
import inspect
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import __init__ as package  # noqa: E402

COMMANDS = {"results": "results", "plot": "plot", "paper": "paper", "workloads": "workloads",
            "doc-numbers": "doc_numbers", "runfs": "runfs", "coherence": "coherence",
            "confinement": "confinement"}


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(package.__doc__.strip())
        return 0 if len(sys.argv) >= 2 else 2
    name = sys.argv[1]
    if name not in COMMANDS:
        print(f"analysis: unknown command '{name}'; valid: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    mod = importlib.import_module(COMMANDS[name])
    sys.argv = [f"{sys.argv[0]} {name}"] + sys.argv[2:]
    # Some modules' main takes its arguments, the others read sys.argv.
    if inspect.signature(mod.main).parameters:
        return mod.main(sys.argv[1:])
    return mod.main()


if __name__ == "__main__":
    sys.exit(main())
