"""Posts that carry photos from a phone, which may be on a weak signal.

Two things Django does not do by itself, both about a post's body:

- Refuse a post that says it is too big before reading any of it. The CSRF check reads the
  whole body (and writes its files to temporary files) before the view runs, so the view's
  own check comes too late to save that work.
- Notice a post that stopped arriving part-way (the signal went, or the patient gave up) and
  keep nothing from it, not even a photo that had arrived whole before it stopped. Django
  drops the file that was cut off, but would hand the view whatever came before it.

Either way the answer goes to a phone that has probably stopped listening; what matters is
that nothing of the post is kept (tests/resilience/test_abandoned_upload.py).
"""

from contextlib import suppress
from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler
from django.http import UnreadablePostError
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from clinical_photos.core.csrf import FetchMetadataCsrfViewMiddleware

# The site's own CSRF check (core/csrf.py), run from inside the view rather than before it.
csrf_protect = decorator_from_middleware(FetchMetadataCsrfViewMiddleware)


class _CutOffWatcher(FileUploadHandler):
    """Passes every chunk on to the usual handlers, and notes when a file was cut off.

    Django calls `upload_interrupted` when the body ends inside a file, before the boundary
    that would have closed it.
    """

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None

    def upload_interrupted(self):
        self.request.upload_cut_off = True


def declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def receives_photos(*, max_bytes, too_big, cut_off):
    """For a view(request, link, ...) that takes photos by POST.

    A post whose Content-Length is over `max_bytes()` is answered `too_big(request, link)`
    unread; one that stopped arriving part-way is answered `cut_off(request, link)`, with
    whatever had arrived thrown away; any other post goes to the view, with the usual CSRF
    check. Neither refusal changes anything, so neither needs that check.
    """

    def decorate(view):
        @csrf_exempt  # checked below, once the body is known to have arrived whole
        @wraps(view)
        def wrapped(request, link, *args, **kwargs):
            if request.method == "POST":
                if declared_length(request) > max_bytes():
                    return too_big(request, link)
                request.upload_handlers.insert(0, _CutOffWatcher(request))
                try:
                    request.POST  # noqa: B018 (reads and parses the body now)
                except UnreadablePostError:
                    # The connection broke mid-body. A temporary upload file is deleted when
                    # it is closed: close the one a handler was still writing.
                    _close_unfinished_files(request)
                    return cut_off(request, link)
                if getattr(request, "upload_cut_off", False):
                    request.close()  # the files that did arrive whole, deleted now
                    return cut_off(request, link)
            return csrf_protect(view)(request, link, *args, **kwargs)

        return wrapped

    return decorate


def _close_unfinished_files(request) -> None:
    for handler in request.upload_handlers:
        unfinished = getattr(handler, "file", None)
        if unfinished is not None:
            with suppress(OSError):
                unfinished.close()
