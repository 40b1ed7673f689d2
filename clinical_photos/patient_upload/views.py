"""The patient's journey: open the link, prove who they are, agree, choose photos, send.

Every page works with JavaScript off (plain forms, one post each). With JavaScript on, the
choose-photos page also sends each photo on its own as soon as it is chosen (`add_photo`,
which answers in JSON) so the patient hears at once about a photo that may not be good enough.
Nothing here needs a staff login: opening the link, the date of birth, the patient's own short
session and the check that the link still works on every page are the same for every link a
patient is texted (patient_links); journey.py gives them this link's words.
"""

from dataclasses import replace

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinical_photos.core.jinja_helpers import error_summary_items
from clinical_photos.patient_links.models import LinkState
from clinical_photos.photos import crypto, pipeline, storage
from clinical_photos.photos.models import Label

from . import presenters, services
from .forms import ChoosePhotosForm, DeclineForm, OnePhotoForm, SendForm
from .journey import UPLOAD, wants_json
from .models import PatientResponse
from .uploads import receives_photos

# The address in the text: /p/<token>.
open_link = UPLOAD.open_link_view()
# Pages after the date of birth. Once the request has its answer only the confirmation
# (`sent`) can be seen; every other page leads there.
with_patient_link = UPLOAD.pages


@with_patient_link
@require_GET
def agreement(request, link):
    return UPLOAD.render(request, "patient_upload/agreement.jinja", presenters.agreement_page(link))


@with_patient_link
@require_http_methods(["GET", "POST"])
def decline(request, link):
    form = DeclineForm(
        request.POST if request.method == "POST" else None,
        follow_up=services.is_follow_up(link),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decline(
                link,
                form.cleaned_data["reason"],
                stop_follow_ups=form.cleaned_data.get("stop_follow_ups", False),
            )
        except services.AlreadyAnswered:
            return UPLOAD.state_page(request, LinkState.USED, link)
        return redirect("patient_upload:sent")
    return UPLOAD.render(
        request,
        "patient_upload/decline.jinja",
        {
            "page_title": "You do not want to send photos",
            "form": form,
            "practice": link.photo_request.practice,
        },
    )


@with_patient_link
@require_GET
def tips(request, link):
    return UPLOAD.render(
        request,
        "patient_upload/tips.jinja",
        {
            "page_title": "How to take good photos",
            "has_photos": services.unsent_photos(link).exists(),
        },
    )


TOO_MUCH_AT_ONCE = (
    "The photos you chose add up to more than 100 MB, which is too much to send at once. "
    "Choose fewer photos and try again."
)
DID_NOT_ARRIVE = (
    "Your photos did not finish sending, so none of them were kept. Check you have a signal, "
    "then choose them again."
)
# The check page's address after a post without the tick.
NOT_AGREED = "agreed=no"
PHOTO_DID_NOT_ARRIVE = "This photo did not finish uploading. Check you have a signal and try again."
NO_PHOTO = "Choose a photo to send."
NO_PHOTO_CHOSEN = "Choose at least one photo to send, or go back and choose not to send photos"
# One photo's post: the photo, at most 20 MB, and a few small fields beside it.
ONE_PHOTO_MAX_BYTES = pipeline.MAX_FILE_BYTES + 64 * 1024


def _choose_page(request, link, *, form=None, problems=(), status=200):
    """The choose-photos page. `problems` are what went wrong with the post as a whole (or
    with a photo no slot is left for): listed in the error summary only."""
    chosen = list(services.unsent_photos(link))
    free_slots = services.MAX_PHOTOS - len(chosen)
    if form is None:
        form = ChoosePhotosForm(free_slots=free_slots, initial={"note": services.saved_note(link)})
    problems_at = "#id_photo_1" if form.free_slots else "#chosen-photos"
    summary = error_summary_items(form) + [
        {"text": problem, "href": problems_at} for problem in problems
    ]
    return UPLOAD.render(
        request,
        "patient_upload/choose_photos.jinja",
        {
            "page_title": "Choose your photos",
            "form": form,
            "chosen": presenters.chosen_photos(chosen),
            "free_slots": form.free_slots,
            "labels": Label,
            "problems": problems,
            "error_summary": summary,
            "first_label_default": Label.CLOSE_UP if chosen else Label.WHERE,
            # The script places each photo it sends after those chosen already, in slot order.
            "position_base": max((photo.position for photo in chosen), default=0),
            "max_photos": services.MAX_PHOTOS,
            "too_big_message": pipeline.TOO_BIG,
            "max_file_bytes": pipeline.MAX_FILE_BYTES,
        },
        status=status,
    )


# Previews of the chosen photos are drawn from blob: addresses made in the browser.
@csp_override({**settings.SECURE_CSP, "img-src": ["'self'", "blob:"]})
@with_patient_link
@require_http_methods(["GET", "POST"])
@receives_photos(
    max_bytes=lambda: settings.PATIENT_UPLOAD_MAX_BYTES,
    too_big=lambda request, link: _choose_page(request, link, problems=[TOO_MUCH_AT_ONCE]),
    cut_off=lambda request, link: _choose_page(
        request, link, problems=[DID_NOT_ARRIVE], status=400
    ),
)
def choose_photos(request, link):
    """Without JavaScript: every chosen photo, its label and the note in one post. With it, the
    photos have gone already (`add_photo`) and the post carries only their labels and the note.

    Each good photo is kept as the script would have kept it, whatever else is wrong with the
    post (a note too long, another file that is not a photo): the patient then sees it among
    the photos chosen and chooses again only the files that were refused, each refusal beside
    the slot to choose it in.
    """
    if request.method != "POST":
        return _choose_page(request, link)
    free_slots = services.MAX_PHOTOS - services.unsent_photos(link).count()
    form = ChoosePhotosForm(request.POST, request.FILES, free_slots=free_slots)
    note_is_good = form.is_valid() or "note" not in form.errors
    if note_is_good:
        services.save_note(link, form.cleaned_data["note"])
    services.relabel_photos(
        link,
        {
            key.removeprefix("label_of_"): value
            for key, value in request.POST.items()
            if key.startswith("label_of_")
        },
    )
    to_choose = []
    for slot in form.slots():
        if slot.problem:
            to_choose.append(slot)
            continue
        try:
            services.add_photo(link, slot.upload.read(), slot.upload.name, slot.label)
        except services.PhotoRefused as refused:
            name = slot.upload.name or "The photo you chose"
            to_choose.append(replace(slot, problem=f"{name} was not added. {refused.message}"))
    chosen = services.unsent_photos(link).count()
    if note_is_good and not to_choose and chosen:
        return redirect("patient_upload:check")
    again = ChoosePhotosForm.again(
        form, free_slots=services.MAX_PHOTOS - chosen, to_choose=to_choose
    )
    if note_is_good and not to_choose:
        again.add_error("photo_1", NO_PHOTO_CHOSEN)
    # Refused photos with no slot left to choose them in (another tab filled the slots).
    no_slot = [slot.problem for slot in to_choose[again.free_slots :]]
    return _choose_page(request, link, form=again, problems=no_slot)


def _photo_refused(request, link, message: str, status: int):
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return _choose_page(request, link, problems=[message], status=status)


@with_patient_link
@require_POST
@receives_photos(
    max_bytes=lambda: ONE_PHOTO_MAX_BYTES,
    too_big=lambda request, link: _photo_refused(request, link, pipeline.TOO_BIG, 413),
    cut_off=lambda request, link: _photo_refused(request, link, PHOTO_DID_NOT_ARRIVE, 400),
)
def add_photo(request, link):
    """One photo, sent by the choose-photos page's script as soon as the patient chooses it.

    Posted fields: `photo` (the file), `label`, `position` (its place in the list, from the
    page) and, to swap a photo already kept for a new one, `replaces` (its id). Asked for JSON
    (`Accept: application/json`), it answers 201 with the photo kept and what the quality
    checks found (`presenters.photo_json`), or an `error` for the patient: 400 for a file that
    is not a usable photo, 409 when 5 photos are chosen already, 413 for a file over 20 MB,
    403 (with `next`, the page that says why) when the session or the link has ended.
    """
    upload = request.FILES.get("photo")
    if upload is None:
        return _photo_refused(request, link, NO_PHOTO, 400)
    beside = OnePhotoForm(request.POST)
    try:
        photo = services.add_photo(
            link,
            upload.read(),
            upload.name,
            beside.value("label") or "",
            replacing=beside.value("replaces"),
            position=beside.value("position"),
        )
    except services.TooManyPhotos as refused:
        return _photo_refused(request, link, refused.message, 409)
    except services.PhotoRefused as refused:
        return _photo_refused(request, link, refused.message, 400)
    if not wants_json(request):
        return redirect("patient_upload:choose_photos")
    number = services.photo_number(link, photo)
    free_slots = services.MAX_PHOTOS - services.unsent_photos(link).count()
    return JsonResponse(
        {"photo": presenters.photo_json(photo, number), "free_slots": free_slots}, status=201
    )


@with_patient_link
@require_POST
def remove_photo(request, link, photo_id):
    removed = services.remove_photo(link, photo_id)
    if wants_json(request):
        return JsonResponse({"removed": removed})
    back_to_check = request.POST.get("back") == "check"
    return redirect("patient_upload:check" if back_to_check else "patient_upload:choose_photos")


# A chosen photo's preview is for the page that shows it to the patient who chose it, and for
# nothing else: no cache keeps it (a shared phone's browser included), no script runs in it, no
# browser guesses it is anything but the image it says it is, and no other site embeds it.
PREVIEW_HEADERS = {
    "Cache-Control": "no-store, private",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@with_patient_link
@require_GET
def photo_preview(request, link, photo_id):
    """The small copy made when a photo arrived, for the check and choose pages: only of a
    photo this session's link holds and has not sent. Any other is not found."""
    photo = services.unsent_photos(link).filter(id=photo_id).first()
    try:
        preview = storage.read_preview(photo) if photo is not None else None
    except crypto.Unreadable:
        # read_preview has raised the alert; bytes that failed a check are never sent.
        preview = None
    if preview is None:
        return HttpResponseNotFound("Not found", content_type="text/plain")
    response = HttpResponse(preview, content_type="image/jpeg")
    for header, value in PREVIEW_HEADERS.items():
        response[header] = value
    return response


@with_patient_link
@require_http_methods(["GET", "POST"])
def check(request, link):
    photos = list(services.unsent_photos(link))
    if not photos:
        if services.has_answer(link):
            # Sent a moment ago from another tab or phone: its photos went with that answer.
            if request.method == "POST":
                return UPLOAD.state_page(request, LinkState.USED, link)
            return redirect("patient_upload:sent")
        return redirect("patient_upload:choose_photos")
    if request.method == "POST":
        if not SendForm(request.POST).is_valid():
            # Post/redirect/get: the page that asks for the tick is fetched, not posted, so the
            # browser's Back button can show it again without sending the form again.
            return redirect(f"{reverse('patient_upload:check')}?{NOT_AGREED}")
        try:
            services.send_photos(link)
        except services.NothingToSend:
            return redirect("patient_upload:choose_photos")
        except services.AlreadyAnswered:
            # Sent already, from another tab or phone: say so rather than "sent".
            return UPLOAD.state_page(request, LinkState.USED, link)
        return redirect("patient_upload:sent")
    # After a post without the tick: the form as that post left it, refused the same way.
    form = SendForm({} if request.GET.get("agreed") == "no" else None)
    chosen = presenters.chosen_photos(photos)
    return UPLOAD.render(
        request,
        "patient_upload/check.jinja",
        {
            "page_title": "Check your photos before you send them",
            "form": form,
            "photos": chosen,
            "any_advice": any(photo["advice"] for photo in chosen),
            "note": services.saved_note(link),
            "practice": link.photo_request.practice,
        },
    )


@with_patient_link(also_when=(LinkState.USED,))
@require_GET
def sent(request, link):
    response = getattr(link.photo_request, "response", None)
    if response is None:
        return redirect("patient_upload:agreement")
    return UPLOAD.render(
        request,
        "patient_upload/sent.jinja",
        {
            "page_title": "Photos sent"
            if response.kind == PatientResponse.Kind.PHOTOS
            else "The surgery has been told",
            "response": response,
            "photo_count": response.photos.count(),
            "practice": link.photo_request.practice,
        },
    )
