"""The record's models, each kept with the feature it belongs to.

Django finds an app's models here; the features' own modules define them.
"""

from .filing.models import Filing
from .patient_view.models import PatientViewLink
from .review.models import Review

__all__ = ["Filing", "PatientViewLink", "Review"]
