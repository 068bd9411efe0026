"""Logging filters."""

import logging


class TanpaTraceback403(logging.Filter):
    """An ordinary refusal (403: PermissionDenied, the engine's TidakBerwenang turned into 403)
    is logged as one line, without the traceback Django attaches to it: it is not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
