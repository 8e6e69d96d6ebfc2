"""Workers do not outlive the run. On Linux the kernel is asked to kill a process when its parent dies: the
forkserver (whose parent is the main process) asks it when it imports this module, and each worker (whose parent
is the forkserver) when it starts. A main process killed outright (SIGKILL, the out-of-memory killer) so takes the
forkserver with it, and the forkserver its workers; nothing is left running."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent"]

#: prctl's option for the signal a process gets when its parent dies (linux/prctl.h)
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing is done)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took hold: go as the kernel would have
        os.kill(os.getpid(), signal.SIGKILL)


def _in_forkserver() -> bool:
    """Whether this process is multiprocessing's forkserver, importing its preloaded modules."""
    return any("multiprocessing.forkserver import main" in arg for arg in getattr(sys, "orig_argv", ()))


if _in_forkserver():
    die_with_parent()
