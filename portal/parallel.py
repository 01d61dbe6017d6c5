"""Run the per-language Pelican builds of the site at the same time, one process each.

The builds share nothing but the staging folder, and each writes its own part of it (the default
language at the root, every other language under its own folder), so they can run side by side.
The first build runs in this process, so that signal handlers connected here (build_site's
catalogue capture) still see it. The others run in forked children. A child that fails sends its
exception back through a pipe, and the parent raises it after every build has stopped. Where
`fork` is not available, there is one core, or a build empties its output folder first, the builds
run one after the other.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import traceback
from typing import Callable

log = logging.getLogger(__name__)


class ChildBuildError(RuntimeError):
    """Raised in the parent when a child build failed with an exception that could not be sent back."""


def _child(build: Callable[[dict], None], settings: dict, connection) -> None:
    try:
        build(settings)
    except BaseException as error:  # noqa: BLE001 - every failure is sent to the parent
        try:
            if hasattr(error, "problems"):
                # ContentError builds its text from its problems, so it is sent as those.
                connection.send(("problems", pickle.dumps((type(error), list(error.problems)))))
            else:
                connection.send(("error", pickle.dumps(error)))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled is sent as text
            connection.send(("text", traceback.format_exc()))
    else:
        connection.send(("ok", None))
    finally:
        connection.close()


def run_builds(runs: list[dict], build: Callable[[dict], None]) -> None:
    """Call `build(settings)` for each settings dict, the first here and the others in parallel."""
    # A build that empties its output folder first would delete what a parallel build had written
    # inside it (the other languages' folders), so such builds run one after the other.
    empties_output = any(settings.get("DELETE_OUTPUT_DIRECTORY") for settings in runs)
    if (len(runs) < 2 or empties_output or (os.cpu_count() or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        for settings in runs:
            build(settings)
        return

    context = multiprocessing.get_context("fork")
    children = []
    for settings in runs[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(build, settings, sender))
        process.start()
        sender.close()
        children.append((settings.get("DEFAULT_LANG"), process, receiver))

    own_error = None
    try:
        build(runs[0])
    except BaseException as error:  # noqa: BLE001 - raised again once the children have stopped
        own_error = error

    child_error = None
    for language, process, receiver in children:
        if own_error is not None:
            process.terminate()
        try:
            status, payload = receiver.recv() if own_error is None else ("skipped", None)
        except EOFError:
            status, payload = "text", f"the {language} build process ended without a result"
        process.join()
        receiver.close()
        if status == "error" and child_error is None:
            child_error = pickle.loads(payload)
        elif status == "problems" and child_error is None:
            error_class, problems = pickle.loads(payload)
            child_error = error_class(problems)
        elif status == "text" and child_error is None:
            child_error = ChildBuildError(payload)
        if status in ("error", "problems", "text"):
            log.error("the %s build failed in process %s", language, process.pid)

    if own_error is not None:
        raise own_error
    if child_error is not None:
        raise child_error
