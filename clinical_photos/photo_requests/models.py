import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinical_photos.patient_links.models import LinkState, PatientLinkBase, PatientLinkQuerySet

from . import body_sites

NOTE_MAX_LENGTH = 600


class RequestTemplate(models.Model):
    """A practice's kind of request ("Rash", "Mole"), with the words the patient will read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="request_templates"
    )
    name = models.CharField("Name", max_length=60)
    patient_message = models.TextField("What the patient reads", max_length=600)
    admins_may_use = models.BooleanField("The admin team may use this template", default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="template_name_per_practice")
        ]

    def __str__(self) -> str:
        return self.name


class PhotoRequestQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-created_at")


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for photos"
    CANCELLED = "cancelled", "Cancelled"
    ANSWERED = "answered", "Photos sent"
    DECLINED = "declined", "Patient chose not to send photos"


class PhotoRequest(models.Model):
    """A member of staff asking one patient for photos of one problem."""

    Status = RequestStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="photo_requests"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="photo_requests"
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="photo_requests"
    )
    template = models.ForeignKey(RequestTemplate, on_delete=models.PROTECT, related_name="+")
    # The template's words as the patient was sent them, even if the template changes later.
    reason = models.TextField()
    note_to_patient = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    body_site_codes = models.JSONField(default=list)
    # Written only by lifecycle.py, with the moment that goes with it.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the patient sent photos or chose not to.
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = PhotoRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["practice", "-created_at"]),
            # The inbox counts the practice's requests that need attention on every page.
            models.Index(fields=["practice", "status"]),
        ]
        constraints = [
            # Each status comes with its moment, and no other status's.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=RequestStatus.OPEN,
                        cancelled_at=None,
                        cancelled_by=None,
                        answered_at=None,
                    )
                    | Q(
                        status=RequestStatus.CANCELLED,
                        cancelled_at__isnull=False,
                        cancelled_by__isnull=False,
                        answered_at=None,
                    )
                    | Q(
                        status__in=[RequestStatus.ANSWERED, RequestStatus.DECLINED],
                        answered_at__isnull=False,
                        cancelled_at=None,
                        cancelled_by=None,
                    )
                ),
                name="photo_request_status_has_its_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} for {self.patient}"

    @property
    def body_sites(self) -> list[body_sites.BodySite]:
        return [site for code in self.body_site_codes if (site := body_sites.get(code))]

    @property
    def current_link(self) -> "PatientLink | None":
        return self.links.current().order_by("-created_at").first()

    @property
    def latest_text(self):
        return self.text_messages.order_by("-created_at").first()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class UploadLinkQuerySet(PatientLinkQuerySet):
    def cannot_send(self, now=None):
        """Links through which no photo can be sent again: expired, stopped, replaced, or for a
        request that was cancelled. (One that was used has sent its photos already.)"""
        now = now or timezone.now()
        return self.filter(
            Q(expires_at__lte=now)
            | Q(revoked_at__isnull=False)
            | Q(replaced_at__isnull=False)
            | Q(photo_request__status=PhotoRequest.Status.CANCELLED)
        )


class PatientLink(PatientLinkBase):
    """A link to send photos for one request (patient_links.models says what every link has).

    Sending a request again makes a new link and marks the old one replaced, so the patient who
    opens an old text can be told why it no longer works.
    """

    photo_request = models.ForeignKey(PhotoRequest, on_delete=models.PROTECT, related_name="links")
    used_at = models.DateTimeField(null=True, blank=True)
    # The patient's note to the practice while they choose photos, encrypted.
    draft_note_encrypted = models.BinaryField(null=True)

    objects = UploadLinkQuerySet.as_manager()

    class Meta(PatientLinkBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["photo_request"],
                condition=Q(replaced_at__isnull=True, revoked_at__isnull=True),
                name="one_current_link_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"link {self.id} for request {self.photo_request_id}"

    @property
    def patient(self):
        return self.photo_request.patient

    @property
    def practice(self):
        return self.photo_request.practice

    def audit_as(self) -> dict:
        # The patient acts through their link, on the request it was sent for.
        return {
            "patient_link": self,
            "practice": self.photo_request.practice,
            "target": self.photo_request,
        }

    def ended_state(self) -> LinkState | None:
        status = self.photo_request.status
        if status == PhotoRequest.Status.CANCELLED:
            return LinkState.CANCELLED
        if status in (PhotoRequest.Status.ANSWERED, PhotoRequest.Status.DECLINED):
            return LinkState.USED
        return None


# Follow-up photos on a schedule

MAX_FOLLOW_UPS = 12


class IntervalUnit(models.TextChoices):
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"


class FollowUpSeries(models.Model):
    """A clinician's plan to ask for photos of the same site again: every N days or weeks, M
    times. Each time is a FollowUp; its request is made and texted on its date by the task
    worker (follow_ups.send_due). Staff, or the patient, can stop the rest.
    """

    Unit = IntervalUnit

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="follow_up_series"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="follow_up_series"
    )
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # The request the series follows up: its template, words and body sites are used again.
    follows = models.ForeignKey(PhotoRequest, on_delete=models.PROTECT, related_name="+")
    every = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=5, choices=Unit.choices)
    times = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Who stopped it: a member of staff, or None with stopped_at set when the patient did.
    stopped_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(times__gte=1, times__lte=MAX_FOLLOW_UPS, every__gte=1),
                name="follow_up_series_size_in_range",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=IntervalUnit.values), name="follow_up_series_unit_known"
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=False) | Q(stopped_by=None),
                name="follow_up_series_stopped_by_with_its_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up series {self.id}"

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    @property
    def interval_words(self) -> str:
        """ "every 2 weeks", "every day"."""
        unit = self.get_unit_display()
        return f"every {unit[:-1]}" if self.every == 1 else f"every {self.every} {unit}"


class FollowUp(models.Model):
    """One time in a series: due on a working day, then its request once it is texted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(FollowUpSeries, on_delete=models.PROTECT, related_name="follow_ups")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    photo_request = models.OneToOneField(
        PhotoRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="follow_up"
    )

    class Meta:
        ordering = ["number"]
        indexes = [
            # The worker's question, every few minutes: which texts are due and not yet sent?
            models.Index(fields=["due_on"], condition=Q(photo_request=None), name="follow_up_due")
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="follow_up_number_once"),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.number} of series {self.series_id}"
