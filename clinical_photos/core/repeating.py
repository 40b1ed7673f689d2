"""Tasks that run again and again, with no scheduler but the task worker itself.

A repeating task queues its own next run when it ends (`queue_next`), on a backend that can
defer a task (django-tasks-db's `db_worker` can). A management command queues the first run
at each start; a run that is already waiting is not doubled, so starting twice is safe.
"""

from datetime import timedelta

from django.apps import apps
from django.tasks.base import TaskResultStatus
from django.utils import timezone


def is_waiting(task) -> bool:
    """Whether django-tasks-db holds a run of `task` that has not started yet.

    Other backends cannot be asked, so on them a run is never taken to be waiting.
    """
    backend = task.get_backend()
    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task.module_path, backend_name=backend.alias
    ).exists()


def queue_next(task, *, delay: timedelta | None = None):
    """Queue a run of `task` unless one is waiting; its result, or None if none was queued.

    With a delay, a run is queued only on a backend that can defer tasks.
    """
    if is_waiting(task):
        return None
    if delay is None:
        return task.enqueue()
    if not task.get_backend().supports_defer:
        return None
    return task.using(run_after=timezone.now() + delay).enqueue()
