"""The exit-code convention every command line of the project follows.

    0  done
    1  bad input or a failure: nothing (or not everything asked) was done; one line on stderr
    2  the command line itself is malformed (argparse's own usage error)
    3  done, with warnings on stderr (records rejected, markup blanked)
  130  interrupted (Ctrl-C); what was committed is kept
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable

from snm.errors import SNMError

OK, BAD_INPUT, USAGE, WARNINGS, INTERRUPTED = 0, 1, 2, 3, 130


def fail(message: str) -> int:
    """Print one error line on stderr and return the bad-input code."""
    print(f"error: {message}", file=sys.stderr)
    return BAD_INPUT


def run(command: Callable[[], int]) -> int:
    """Run a command body: project errors become one line and exit 1, never a traceback."""
    try:
        return command()
    except SNMError as err:
        return fail(str(err))
    except BrokenPipeError:  # piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
