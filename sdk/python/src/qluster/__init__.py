"""qluster is the Python client of Qluster, the self-hostable quantum cloud.

``qluster.Client`` speaks the REST v1 API; ``qluster.qiskit`` (needs Qiskit)
offers the backends as Qiskit BackendV2 objects.
"""

from .client import TERMINAL_STATUSES, Backend, CircuitResult, Client, CompiledCircuit, Job, Result
from .errors import (
    APIError,
    AuthenticationError,
    ConfigError,
    ConflictError,
    ConnectionError,
    InvalidRequestError,
    JobCancelledError,
    JobError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    QASMError,
    QlusterError,
    RateLimitedError,
    ServerError,
    TooLargeError,
)

__version__ = "0.1.0"

__all__ = [
    "APIError", "AuthenticationError", "Backend", "CircuitResult", "Client", "CompiledCircuit", "ConfigError",
    "ConflictError", "ConnectionError", "InvalidRequestError", "Job", "JobCancelledError", "JobError",
    "JobFailedError", "JobTimeoutError", "NotFoundError", "PermissionDeniedError", "QASMError", "QlusterError",
    "RateLimitedError", "Result", "ServerError", "TERMINAL_STATUSES", "TooLargeError", "__version__",
]
