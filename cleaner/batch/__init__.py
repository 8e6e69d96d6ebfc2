"""Cleaning many documents: planning outputs (:mod:`.plan`), a run's work units and slices (:mod:`.units`), the
one process pool (:mod:`.pool`) or a Dask cluster (:mod:`.cluster`), what a worker is given and gives back
(:mod:`.tasks`) and the work it does (:mod:`.worker`), and the run that writes outputs, the log and the report
(:mod:`.run`)."""

from cleaner.batch.plan import Job, Plan, check_outputs, mirror_path, plan_outputs, plan_parts, total_bytes
from cleaner.batch.pool import default_jobs, ordered_map
from cleaner.batch.run import Interrupted, Report, run
from cleaner.batch.tasks import Failure, WorkerConfig
from cleaner.batch.units import discard_parts

__all__ = [
    "Failure",
    "Interrupted",
    "Job",
    "Plan",
    "Report",
    "WorkerConfig",
    "check_outputs",
    "default_jobs",
    "discard_parts",
    "mirror_path",
    "ordered_map",
    "plan_outputs",
    "plan_parts",
    "run",
    "total_bytes",
]
