"""Exceptions raised by the Qluster client.

Every error the server reports is an :class:`APIError` (or a subclass chosen
by its HTTP status) carrying the server's RFC 9457 problem details: the
``detail`` text, the Qluster ``code``, the ``request_id`` to quote to an
operator and, for OpenQASM errors, ``line``, ``column`` and the circuit.
"""

from __future__ import annotations

import builtins
from typing import Any


class QlusterError(Exception):
    """QlusterError is the base of every exception this package raises."""


class ConfigError(QlusterError):
    """ConfigError says the server URL or token could not be found."""


class ConnectionError(QlusterError, builtins.ConnectionError):  # noqa: A001
    """ConnectionError says the server could not be reached. It is also a
    builtins.ConnectionError."""


class APIError(QlusterError):
    """APIError is an error response from the server (a problem document).

    Attributes:
        status: the HTTP status code.
        code: Qluster's error code ("invalid", "not_found", ...).
        detail: the server's explanation.
        title: the HTTP status text.
        request_id: the request's id in the server's logs.
        line, column: where an OpenQASM error is (1-based), else None.
        circuit, circuit_name: which circuit of the job it is in, else None.
        backends: the known backends, when the one asked for is unknown.
        retry_after: seconds to wait before retrying (429), else None.
        problem: the whole problem document as a dict.
    """

    def __init__(self, status: int, problem: dict[str, Any], retry_after: float | None = None):
        self.status = status
        self.problem = problem
        self.code: str = str(problem.get("code") or "")
        self.title: str = str(problem.get("title") or "")
        self.detail: str = str(problem.get("detail") or self.title or f"HTTP {status}")
        self.request_id: str | None = problem.get("request_id")
        self.line: int | None = problem.get("line")
        self.column: int | None = problem.get("column")
        self.circuit: int | None = problem.get("circuit")
        self.circuit_name: str | None = problem.get("circuit_name")
        self.backends: list[str] | None = problem.get("backends")
        self.retry_after = retry_after
        super().__init__(f"{status} {self.title or 'error'}: {self.detail}")


class InvalidRequestError(APIError):
    """InvalidRequestError is a 400: the request is malformed or refused."""


class QASMError(InvalidRequestError):
    """QASMError is a 400 located in a circuit's OpenQASM (see line, column)."""


class AuthenticationError(APIError):
    """AuthenticationError is a 401: the token is missing, unknown or revoked."""


class PermissionDeniedError(APIError):
    """PermissionDeniedError is a 403: the caller may not do this."""


class NotFoundError(APIError):
    """NotFoundError is a 404: no such job, backend or endpoint."""


class ConflictError(APIError):
    """ConflictError is a 409, such as cancelling a finished job."""


class TooLargeError(APIError):
    """TooLargeError is a 413: the request or a circuit is over a limit."""


class RateLimitedError(APIError):
    """RateLimitedError is a 429; retry_after says when to try again."""


class ServerError(APIError):
    """ServerError is a 5xx: quote request_id to the server's operator."""


class JobError(QlusterError):
    """JobError is the base of errors about a job's outcome."""

    def __init__(self, job_id: str, message: str):
        self.job_id = job_id
        super().__init__(message)


class JobFailedError(JobError):
    """JobFailedError says the job failed; ``error`` holds the server's reason."""

    def __init__(self, job_id: str, error: str):
        self.error = error
        super().__init__(job_id, f"job {job_id} failed: {error}")


class JobCancelledError(JobError):
    """JobCancelledError says the job was cancelled before it completed."""

    def __init__(self, job_id: str):
        super().__init__(job_id, f"job {job_id} was cancelled")


class JobTimeoutError(JobError, TimeoutError):
    """JobTimeoutError says a wait ended before the job finished."""

    def __init__(self, job_id: str, timeout: float, status: str):
        self.status = status
        super().__init__(job_id, f"job {job_id} is still {status} after {timeout:g} s")


_BY_STATUS: dict[int, type[APIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: NotFoundError,
    409: ConflictError,
    413: TooLargeError,
    415: InvalidRequestError,
    429: RateLimitedError,
}


def error_for(status: int, problem: dict[str, Any], retry_after: float | None = None) -> APIError:
    """error_for returns the exception for an error response."""
    if status == 400 and problem.get("line"):
        cls: type[APIError] = QASMError
    elif status >= 500:
        cls = ServerError
    else:
        cls = _BY_STATUS.get(status, APIError)
    return cls(status, problem, retry_after)
