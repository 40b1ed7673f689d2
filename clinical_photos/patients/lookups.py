from django.shortcuts import get_object_or_404


def practice_patient(request, patient_id):
    """The visitor's practice's patient with this id, or 404 for any other, another practice's
    included (ADR 2). Pages about a patient look them up with this, and give it to
    @permission_required as their scope so that the 404 comes before any refusal."""
    return get_object_or_404(request.user.practice.patients, id=patient_id)
