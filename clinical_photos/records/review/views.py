"""Clinical review: the list of photos waiting, the review screen, taking and assigning.

Mounted at /review/. Clinicians review; practice managers see the list (words only) and can
move a review to a clinician, since overdue reviews are flagged to them.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinical_photos.accounts.permissions import Permission, permission_required

from ..timeline import presenters as timeline_presenters
from . import presenters, services
from .forms import OUTCOME_HINTS, AssignForm, OutcomeForm


def _practice_review(request, review_id):
    review = services.practice_review(request.user.practice, review_id)
    if review is None:
        raise Http404
    return review


@permission_required(Permission.SEE_REVIEWS)
@require_GET
def review_list(request):
    queues = services.queues(request.user)
    return render(
        request,
        "records/review/list.jinja",
        {
            "page_title": "To review" if request.user.may(Permission.REVIEW_PHOTOS) else "Reviews",
            "column_width": "full",
            "mine": [presenters.queue_row(r) for r in queues.mine],
            "shared": [presenters.queue_row(r) for r in queues.practice],
            "colleagues": [presenters.queue_row(r) for r in queues.colleagues],
        },
    )


@permission_required(Permission.REVIEW_PHOTOS, scope=_practice_review)
@require_http_methods(["GET", "POST"])
def detail(request, review_id):
    review = _practice_review(request, review_id)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not review.is_done and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.record_outcome(
                by=request.user,
                review=review,
                outcome=data["outcome"],
                note=data["note"],
                follow_up=form.follow_up_plan(),
                better_photos_reason=data["better_photos_reason"],
            )
        except services.ReviewRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Review recorded for {review.filing.patient.full_name}: "
                f"{done.get_outcome_display().lower()}",
            )
            return redirect("review:detail", review_id=review.id)
    if request.method == "GET":
        services.record_review_viewed(by=request.user, review=review)
    response = review.filing.response
    photos = [p for p in response.photos.order_by("position", "created_at") if p.patient_id]
    # Each earlier photo is compared with the new one taken the same way, where there is one.
    new_by_label = {}
    for photo in photos:
        new_by_label.setdefault(photo.label, photo)
    return render(
        request,
        "records/review/detail.jinja",
        {
            "page_title": f"Review photos of {review.filing.patient.full_name}",
            "column_width": "full",
            "review": review,
            "patient": review.filing.patient,
            "asked": response.photo_request,
            "patient_note": response.text,
            "photos": photos,
            "new_by_label": new_by_label,
            "earlier": presenters.earlier_visits(services.earlier_photos(review)),
            "due_words": presenters.due_words(review),
            "outcome_words": presenters.outcome_words(review),
            "form": form,
            "outcome_hints": OUTCOME_HINTS,
            "timeline": timeline_presenters,
        },
    )


@permission_required(Permission.REVIEW_PHOTOS, scope=_practice_review)
@require_POST
def take(request, review_id):
    review = _practice_review(request, review_id)
    try:
        services.assign(by=request.user, review=review, to=request.user)
    except services.ReviewRefused as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, "You are reviewing these photos")
    return redirect("review:detail", review_id=review.id)


@permission_required(Permission.ASSIGN_REVIEWS, scope=_practice_review)
@require_http_methods(["GET", "POST"])
def assign(request, review_id):
    review = _practice_review(request, review_id)
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        practice=request.user.practice,
        initial={"to": str(review.assigned_to_id) if review.assigned_to_id else "queue"},
    )
    if request.method == "POST" and form.is_valid():
        to = form.chosen()
        try:
            services.assign(by=request.user, review=review, to=to)
        except services.ReviewRefused as refused:
            messages.info(request, str(refused))
        else:
            messages.success(
                request,
                f"{to.full_name} will review these photos"
                if to
                else "These photos are in the practice's queue, for any clinician to take",
            )
        return redirect("review:list")
    return render(
        request,
        "records/review/assign.jinja",
        {
            "page_title": "Who should review these photos?",
            "review": review,
            "row": presenters.queue_row(review),
            "form": form,
        },
    )
