"""The camera worker's vocabulary: the commands it takes, the camera states and faults it reports.

Qt-free, so it is typed and testable below ``kiosk/ui``: the worker reads one queue
of these commands (the GUI's requests and its grabber thread's news alike) and acts
on them between frames.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult, FrameReport
    from kiosk.engine.recovery import Recovery


class CameraState(StrEnum):
    """Where the camera source stands; the worker reports each change."""

    OPENING = "opening"
    LIVE = "live"
    LOST = "lost"  # it failed; the worker reopens it with back-off
    ENDED = "ended"  # a video file ran out and does not loop


class WorkerCommand(StrEnum):
    CAPTURE = "capture"  # start a capture with a profile (ends any running one)
    CANCEL = "cancel"  # end the running capture without a result
    SOURCE = "source"  # switch to another camera or video
    JOB = "job"  # run a function with the analyzer on the worker's thread
    STATE = "state"  # from the grabber: the source changed state (with a message when lost)
    ANALYZER = "analyzer"  # the models finished loading: captures and jobs asked for before run now


@dataclass(frozen=True)
class Command:
    """One queued request. ``kind`` says which of the optional fields matter."""

    kind: WorkerCommand
    profile: str = ""  # CAPTURE
    unattended: bool = False  # CAPTURE: runs while nobody may be there (the rest gate applies)
    spec: str = ""  # SOURCE
    job_id: str = ""  # JOB
    job: Callable[[Any], Any] | None = None  # JOB: called with the analyzer
    state: CameraState | None = None  # STATE
    message: str = ""  # STATE: why the source was lost
    analyzer: Any = None  # ANALYZER

    @classmethod
    def capture(cls, profile: str, *, unattended: bool = False) -> Command:
        return cls(WorkerCommand.CAPTURE, profile=profile, unattended=unattended)

    @classmethod
    def cancel(cls) -> Command:
        return cls(WorkerCommand.CANCEL)

    @classmethod
    def source(cls, spec: str) -> Command:
        return cls(WorkerCommand.SOURCE, spec=spec)

    @classmethod
    def run_job(cls, job_id: str, job: Callable[[Any], Any]) -> Command:
        return cls(WorkerCommand.JOB, job_id=job_id, job=job)

    @classmethod
    def source_state(cls, state: CameraState, message: str = "") -> Command:
        return cls(WorkerCommand.STATE, state=state, message=message)

    @classmethod
    def models_loaded(cls, analyzer: Any) -> Command:
        return cls(WorkerCommand.ANALYZER, analyzer=analyzer)


# What needs the analyzer: a worker started before the models loaded keeps these, in order, until they have.
NEEDS_ANALYZER = frozenset({WorkerCommand.CAPTURE, WorkerCommand.CANCEL, WorkerCommand.JOB})


class FaultSite(StrEnum):
    """Where in the worker an unexpected exception was caught."""

    ANALYSIS = "analysis"  # while a capture analyzed a frame
    JOB = "job"  # while a job ran
    WORKER = "worker"  # anywhere else in the worker's loop


@dataclass(frozen=True)
class WorkerFault:
    """An unexpected exception the worker caught, logged (with its traceback) and survived.

    It carries names only (where, the exception's type, which model, what was done),
    never an image or a vector, so it can go to the audit log as it is.
    """

    site: FaultSite
    error_type: str
    message: str  # the exception's first line, for the log and the operator
    recovery: Recovery | None = None  # what the analyzer did when a model failed

    def describe(self) -> str:
        text = f"{self.site} failed: {self.error_type}: {self.message}"
        return f"{text}; {self.recovery.describe()}" if self.recovery else text

    def audit_detail(self) -> str:
        """For the audit row: no exception text, which could quote anything the failing code saw."""
        text = f"{self.site}: {self.error_type}"
        return f"{text}; {self.recovery.describe()}" if self.recovery else text


# -- what the worker reports ---------------------------------------------------------------
# One typed value per output, delivered to the worker's one ``output`` callable on the worker's
# (or its grabber's) thread. The Qt adapter (kiosk/ui/camera_worker.py) turns each into a
# signal on the GUI thread; a headless kiosk (kiosk/app) queues them for its own loop.


@dataclass(frozen=True)
class WorkerStarted:
    """The worker's loop began on its thread."""


@dataclass(frozen=True)
class PreviewFrame:
    """The newest camera frame for the preview (BGR ``numpy`` image); latest wins, none queue up."""

    image: Any


@dataclass(frozen=True)
class FrameAnalyzed:
    report: FrameReport


@dataclass(frozen=True)
class CaptureProgress:
    done: int
    needed: int


@dataclass(frozen=True)
class CaptureEnded:
    """The running capture ended: a template, or why not (``result.outcome``)."""

    result: CaptureResult


@dataclass(frozen=True)
class JobReturned:
    job_id: str
    value: Any


@dataclass(frozen=True)
class JobFailed:
    job_id: str
    error: BaseException


@dataclass(frozen=True)
class WorkerError:
    """A user-facing message; the worker keeps running."""

    message: str


@dataclass(frozen=True)
class WorkerFaulted:
    """An unexpected exception, logged with its traceback and survived."""

    fault: WorkerFault


@dataclass(frozen=True)
class SourceStateChanged:
    state: CameraState


@dataclass(frozen=True)
class WorkerFinished:
    """The worker's loop ended (always the last output, sent from a ``finally``)."""


WorkerOutput = (
    WorkerStarted | PreviewFrame | FrameAnalyzed | CaptureProgress | CaptureEnded | JobReturned | JobFailed
    | WorkerError | WorkerFaulted | SourceStateChanged | WorkerFinished
)
