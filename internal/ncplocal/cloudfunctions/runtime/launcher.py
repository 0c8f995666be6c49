# Runs one Cloud Functions activation of a Python action for ncplocal.
# argv: <code dir> <entry file> <main function name>
# fd 3: the parameters (a JSON object); fd 4: the outcome (one JSON object).
# The action's own stdout and stderr are its logs.
import importlib.util
import json
import os
import sys
import traceback


def emit(outcome):
    with os.fdopen(4, "w", encoding="utf-8") as out:
        json.dump(outcome, out)


def main():
    code_dir, entry, main_name = sys.argv[1], sys.argv[2], sys.argv[3]
    with os.fdopen(3, encoding="utf-8") as f:
        params = json.load(f)
    sys.path.insert(0, code_dir)
    sys.argv = [entry]
    try:
        spec = importlib.util.spec_from_file_location("__ncf_action__", entry)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException:
        emit({"kind": "init", "error": traceback.format_exc(limit=-3).strip()})
        return
    fn = getattr(module, main_name, None)
    if not callable(fn):
        emit({"kind": "init", "error": "the action defines no function %r" % main_name})
        return
    try:
        result = fn(params)
    except MemoryError:
        emit({"kind": "memory", "error": "MemoryError"})
        return
    except BaseException as e:
        traceback.print_exc()
        emit({"kind": "exception", "error": "%s: %s" % (type(e).__name__, e)})
        return
    try:
        emit({"kind": "result", "result": result})
    except (TypeError, ValueError) as e:
        emit({"kind": "bad_result", "error": "the result is not JSON: %s" % e})


try:
    main()
finally:
    # The activation ends when main returns, as on OpenWhisk: threads the
    # action left running do not hold it open.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
