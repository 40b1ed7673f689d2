import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MIN_LINK_LIFETIME_DAYS = 1
MAX_LINK_LIFETIME_DAYS = 14
DEFAULT_LINK_LIFETIME_DAYS = 7
MIN_REVIEW_WITHIN_DAYS = 1
MAX_REVIEW_WITHIN_DAYS = 10
DEFAULT_REVIEW_WITHIN_DAYS = 1


class Practice(models.Model):
    """A GP surgery. Every member of staff, patient and request belongs to exactly one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    phone = models.CharField("Phone number patients can call", max_length=30, blank=True)
    link_lifetime_days = models.PositiveSmallIntegerField(
        "How long links last (days)",
        default=DEFAULT_LINK_LIFETIME_DAYS,
        validators=[
            MinValueValidator(MIN_LINK_LIFETIME_DAYS),
            MaxValueValidator(MAX_LINK_LIFETIME_DAYS),
        ],
    )
    # Filed photos not reviewed within this many working days are flagged to the practice
    # manager and put at the top of the practice's review queue.
    review_within_days = models.PositiveSmallIntegerField(
        "Review photos within (working days)",
        default=DEFAULT_REVIEW_WITHIN_DAYS,
        validators=[
            MinValueValidator(MIN_REVIEW_WITHIN_DAYS),
            MaxValueValidator(MAX_REVIEW_WITHIN_DAYS),
        ],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    link_lifetime_days__gte=MIN_LINK_LIFETIME_DAYS,
                    link_lifetime_days__lte=MAX_LINK_LIFETIME_DAYS,
                ),
                name="practice_link_lifetime_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    review_within_days__gte=MIN_REVIEW_WITHIN_DAYS,
                    review_within_days__lte=MAX_REVIEW_WITHIN_DAYS,
                ),
                name="practice_review_within_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin team"
    CLINICIAN = "clinician", "Clinician"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A member of a practice's staff, who logs in with a password and a second factor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField("Full name", max_length=120)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_caldicott_guardian = models.BooleanField(default=False)
    # Set when a practice manager creates the account with a one-time password.
    must_change_password = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            # Every permission follows from the role (permissions.py); an unknown one has none.
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_is_a_role"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def may(self, permission) -> bool:
        """Whether this person's role allows `permission` (see permissions.py).

        An unknown name raises ValueError, so a template's typo cannot quietly hide a button.
        """
        from .permissions import Permission, permissions_of

        return self.is_active and Permission(permission) in permissions_of(self.role)
