"""Keep personal data out of the logs, whatever a library or a careless line tries to write.

No token, NHS number, date of birth or phone number may reach a log. The service never logs
them on purpose; this filter is the second line, redacting anything that looks like one.
"""

import logging
import re

_PATTERNS = [
    # Patients' links: /p/<token> to send photos, /v/<token> to see them.
    (re.compile(r"(/[pv]/)[A-Za-z0-9_\-]{16,}"), r"\1[token]"),
    # Long url-safe random strings, such as tokens in a query string or a body; but not the
    # service's own record ids (hyphenated UUIDs), which an alert must be able to name.
    (
        re.compile(
            r"\b(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"
            r"[A-Za-z0-9_\-]{32,}\b"
        ),
        "[redacted]",
    ),
    # UK phone numbers: +44 or 0 followed by 9 or 10 digits, spaces allowed.
    (re.compile(r"(?:\+44\s?|\b0)(?:\d\s?){9,10}\b"), "[phone]"),
    # NHS numbers: 10 digits, perhaps as 3 3 4.
    (re.compile(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b"), "[nhs-number]"),
    # Dates such as 1984-03-07 or 07/03/1984.
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b"), "[date]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
