"""Errors of the HTTP API. Each maps to one HTTP status and carries a message that says
what was wrong with the request and what to send instead.

    ApiError                  base; .status is the HTTP status, .code a stable token
    ├── BadRequest            400: unreadable JSON, wrong types, missing or unknown fields
    ├── Forbidden             403: a cross-site request or a Host the server does not answer to
    ├── NotFound              404: no such path, run or job
    ├── MethodNotAllowed      405: the path exists, the method does not
    ├── Conflict              409: the run is not in a state that allows this (e.g. approving a done run)
    ├── PayloadTooLarge       413: body over the limit
    ├── UnsupportedMediaType  415: a POST that is not application/json
    └── Busy                  503: too many submissions waiting; retry later

Anything else raised while handling a request becomes a 500 with the exception's type and
message; the server keeps running.
"""

from __future__ import annotations


class ApiError(Exception):
    status = 500
    code = "internal"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, "status": self.status, **self.details}


class BadRequest(ApiError):
    status = 400
    code = "bad_request"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class MethodNotAllowed(ApiError):
    status = 405
    code = "method_not_allowed"

    def __init__(self, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message, allowed=list(allowed))
        self.allowed = allowed


class Conflict(ApiError):
    status = 409
    code = "conflict"


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"


class Busy(ApiError):
    status = 503
    code = "busy"
