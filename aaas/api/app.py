"""The console's routes: JSON endpoints over an Operator, and the static page at "/".

Submissions and approvals are asynchronous: POST answers 202 with a job (Location:
/api/jobs/{id}) and the client polls GET /api/jobs/{id} until its state is done or error;
the finished job carries the run view. Add ?wait=true to get the run view in the same
response (200) instead, for scripts and curl.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from aaas.api import requests as rq
from aaas.api.errors import ApiError, Conflict, MethodNotAllowed, NotFound
from aaas.api.jobs import DONE, Job, JobBoard
from aaas.api.messages import Request, Response, error_response, json_response, static_response
from aaas.api.operator import AWAITING_APPROVAL, Operator

Handler = Callable[[Request, dict[str, str]], Response]
WAIT_SECONDS = 900.0


class ConsoleApp:
    def __init__(self, operator: Operator, jobs: JobBoard, default_actor: str = rq.DEFAULT_ACTOR,
                 wait_seconds: float = WAIT_SECONDS) -> None:
        self.operator, self.jobs = operator, jobs
        self.default_actor, self.wait_seconds = default_actor, wait_seconds
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/"), self.page),
            ("GET", re.compile(r"/static/(?P<name>[^/]+)"), self.static),
            ("GET", re.compile(r"/api/health"), self.health),
            ("POST", re.compile(r"/api/intents"), self.submit),
            ("GET", re.compile(r"/api/runs"), self.list_runs),
            ("GET", re.compile(r"/api/runs/(?P<run>[^/]+)"), self.show_run),
            ("POST", re.compile(r"/api/runs/(?P<run>[^/]+)/approve"), self.decide),
            ("GET", re.compile(r"/api/jobs"), self.list_jobs),
            ("GET", re.compile(r"/api/jobs/(?P<job>[^/]+)"), self.show_job),
            ("GET", re.compile(r"/api/audit"), self.audit),
            ("GET", re.compile(r"/api/topology"), self.topology),
        ]

    def handle(self, request: Request) -> Response:
        """Route a request; ApiErrors become their 4xx/5xx JSON. Other exceptions are left
        to the server adapter, which answers 500 and keeps serving."""
        try:
            handler, params = self._route(request.method, request.path)
            return handler(request, params)
        except ApiError as error:
            return error_response(error)

    def _route(self, method: str, path: str) -> tuple[Handler, dict[str, str]]:
        allowed = []
        for route_method, pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if route_method == method or (method == "HEAD" and route_method == "GET"):
                return handler, match.groupdict()
            allowed.append(route_method)
        if allowed:
            raise MethodNotAllowed(f"{method} is not allowed on {path}; use {', '.join(allowed)}",
                                   tuple(allowed))
        raise NotFound(f"no endpoint {path[:120]!r}; the API lives under /api/ (see GET /api/health)")

    # --- the page -----------------------------------------------------------------------
    def page(self, request: Request, params: dict[str, str]) -> Response:
        return static_response("console.html")

    def static(self, request: Request, params: dict[str, str]) -> Response:
        return static_response(params["name"])

    # --- reads --------------------------------------------------------------------------
    def health(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"ok": True, "service": "aaas-console",
                                   "pending_jobs": len(self.jobs.pending())})

    def list_runs(self, request: Request, params: dict[str, str]) -> Response:
        limit = rq.int_param(request.query, "limit", 200, 1, 5000)
        status = (request.query.get("status") or [None])[-1]
        runs = [r for r in self.operator.runs() if status is None or r.get("status") == status]
        return json_response(200, runs[:limit])

    def show_run(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self._run(params["run"]))

    def list_jobs(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, [j.to_dict() for j in self.jobs.pending()])

    def show_job(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self.jobs.get(params["job"]).to_dict())

    def audit(self, request: Request, params: dict[str, str]) -> Response:
        limit = rq.int_param(request.query, "limit", 100, 1, 1000)
        return json_response(200, self.operator.audit(limit=limit))

    def topology(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self.operator.topology())

    # --- changes ------------------------------------------------------------------------
    def submit(self, request: Request, params: dict[str, str]) -> Response:
        actor = rq.actor_from(request.headers, self.default_actor)
        text = rq.intent_request(request.read_body())
        job = self.jobs.start("submit", text, actor, lambda: self.operator.submit(text, actor))
        return self._accepted(request, job)

    def decide(self, request: Request, params: dict[str, str]) -> Response:
        approver = rq.actor_from(request.headers, self.default_actor)
        approve, comment = rq.decision_request(request.read_body())
        run = self._run(params["run"])
        thread_id = run.get("thread_id") or params["run"]
        if run.get("status") != AWAITING_APPROVAL:
            raise Conflict(f"run {thread_id} is {run.get('status')!r}; only a run awaiting approval "
                           f"can be approved or rejected", run_status=run.get("status"))
        words = ("approve" if approve else "reject") + (f": {comment}" if comment else "")
        job = self.jobs.start("decide", words, approver,
                              lambda: self.operator.decide(thread_id, approver, approve, comment),
                              thread_id=thread_id)
        return self._accepted(request, job)

    def _accepted(self, request: Request, job: Job) -> Response:
        if not rq.flag_param(request.query, "wait"):
            return json_response(202, job.to_dict(), {"Location": f"/api/jobs/{job.job_id}"})
        if not job.finished.wait(self.wait_seconds):
            return json_response(202, job.to_dict(), {"Location": f"/api/jobs/{job.job_id}"})
        if job.state == DONE:
            return json_response(200, job.run)
        status = 404 if (job.error or "").startswith("unknown run") else 500
        return json_response(status, {"error": "operator_failed", "status": status,
                                      "message": job.error, "job": job.to_dict()})

    def _run(self, raw_id: str) -> dict[str, Any]:
        thread_id = rq.run_id(raw_id)
        try:
            return self.operator.run(thread_id)
        except KeyError:
            raise NotFound(f"no run {thread_id!r}; GET /api/runs lists them") from None

