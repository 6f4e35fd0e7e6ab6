"""The HTTP API and the web console: JSON endpoints over an Operator (the agents) and one
static page at "/". Endpoints (all JSON; errors are {"error", "message", "status"}):

    GET  /api/health                     liveness and the number of pending jobs
    POST /api/intents        {"text"}    202 + job (Location /api/jobs/{id}); ?wait=true: 200 + run
    GET  /api/runs[?status=&limit=]      run views, newest first
    GET  /api/runs/{id}                  one run view
    POST /api/runs/{id}/approve {"approve", "comment"}   202 + job; ?wait=true: 200 + run
    GET  /api/jobs, /api/jobs/{id}       pending jobs; one job (state queued|running|done|error, run)
    GET  /api/audit[?limit=]             audit records, newest first
    GET  /api/topology                   nodes, links, slices, ACLs, drained, avoided

The acting operator is the X-Operator header, or the server's default name.
"""

from aaas.api.app import ConsoleApp
from aaas.api.errors import ApiError
from aaas.api.jobs import JobBoard
from aaas.api.operator import Operator
from aaas.api.server import ConsoleServer

__all__ = ["ApiError", "ConsoleApp", "ConsoleServer", "JobBoard", "Operator"]
