import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from clinical_photos.accounts.permissions import Permission, permission_required

from . import presenters, services

logger = logging.getLogger(__name__)

OUTBOX_SHOWN = 100


@permission_required(Permission.SEE_DEMO_MESSAGES)
@require_GET
def outbox(request):
    """The demo's stand-in for patients' phones: the texts the service would have sent."""
    if settings.SMS_BACKEND != "outbox":
        raise Http404("The outbox is only used when texts are not sent through GOV.UK Notify.")
    messages = list(
        request.user.practice.text_messages.in_outbox().select_related("photo_request")[
            :OUTBOX_SHOWN
        ]
    )
    services.record_outbox_viewed(by=request.user, shown=len(messages))
    return render(
        request,
        "messaging/outbox.jinja",
        {
            "page_title": "Outbox",
            "entries": presenters.outbox_entries(messages),
            "shown_limit": OUTBOX_SHOWN,
        },
    )


@csrf_exempt
@login_not_required
@require_POST
def notify_callback(request):
    """GOV.UK Notify's delivery receipts: whether each text reached the patient's phone.

    Notify signs nothing; it sends the bearer token set for the service's callback, which is
    compared in constant time. Every answer is JSON, and a bad receipt is a 4xx, never a 500,
    so Notify does not retry it for ever.
    """
    if not _callback_authorised(request):
        response = JsonResponse({"error": "Unauthorised"}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        receipt = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The body is not JSON"}, status=400)
    if not isinstance(receipt, dict):
        return JsonResponse({"error": "The body is not a JSON object"}, status=400)
    notification_id, status = receipt.get("id"), receipt.get("status")
    reference, completed_at = receipt.get("reference"), receipt.get("completed_at")
    if not isinstance(notification_id, str) or not notification_id or not isinstance(status, str):
        return JsonResponse({"error": "id and status are required"}, status=400)
    if not isinstance(reference, str | None) or not isinstance(completed_at, str | None):
        return JsonResponse({"error": "reference and completed_at must be strings"}, status=400)
    try:
        message = services.record_delivery_receipt(
            notification_id=notification_id,
            reference=reference,
            status=status,
            completed_at=completed_at,
        )
    except services.UnknownReceiptStatus:
        return JsonResponse({"error": "Unknown status"}, status=400)
    if message is None:
        logger.warning("A delivery receipt matched no text message.")
        return JsonResponse({"error": "No such text message"}, status=404)
    return JsonResponse({"status": message.status})


def _callback_authorised(request) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    if not expected:
        # An empty token would let anyone in who sends "Bearer " with nothing after it.
        logger.warning("NOTIFY_CALLBACK_TOKEN is not set, so delivery receipts are refused.")
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())
