"""The import page: a file, its preview and options, then the job followed live to its report.

The preview reads the file's first rows with carnet's importer; "Start import"
queues the server's import job (:mod:`carnet.domain.imports`) and sends the
browser to the job's page, which follows it with htmx until it ends: a reload
or a server restart finds the same job.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.responses import Response, StreamingResponse

from carnet.contract import CONTACT_FIELDS
from carnet.domain import groups, imports
from carnet.domain.batch_outcome import BatchOptions
from carnet.domain.import_counts import ImportCounts
from carnet.domain.import_records import ENDED, ImportJobRecord
from carnet.errors import CarnetError, NotFoundError
from carnet.http.import_shapes import charset
from carnet.importer.dates import CHOICES
from carnet.importer.opening import open_source
from carnet.importer.problems import SourceError
from carnet.importer.source import ReadOptions
from carnet.web import uploads
from carnet.web.contacts import field_label
from carnet.web.context import Web
from carnet.web.groups import not_found

IMPORT_PATH = "/import"  # the upload's path, given the import size limit
PREVIEW_ROWS = 5
DATE_FORMATS = CHOICES
_IGNORE = "-"
# The report's buckets a person reads (the two repeats of the wire left out).
BUCKET_LABELS = {
    "empty": "No phone number",
    "invalidePhone": "Invalid phone number",
    "invalidField": "Invalid field",
    "dateInvalide": "Invalid date",
    "urlInvalide": "Invalid URL",
    "stopSms": "On the stop list",
    "allreadyInGroupe": "Already in the group",
    "duplicatePhone": "Repeated in the file",
}


async def import_form(web: Web, *, error: str | None = None, status: int = 200) -> Response:
    group_id = web.request.query_params.get("group", "") or web.field("group")
    try:
        group = await web.run(groups.get_group, web.store, web.account, group_id)
    except NotFoundError:
        return not_found(web)
    return web.render("import_form.html", status=status, group=group, error=error)


def _preview(path: Path, name: str) -> tuple[list[str], dict[int, str], list[list[str]], str]:
    """The header, column -> wire name detected, the first rows, and the file's kind."""
    with path.open("rb") as file, open_source(file, name, ReadOptions()) as source:
        rows = []
        for row in source:
            rows.append(row.cells)
            if len(rows) == PREVIEW_ROWS:
                break
        return list(source.header), dict(source.columns), rows, source.kind


async def upload(web: Web) -> Response:
    """``POST /import``: keep the file and show its preview with the options."""
    file = web.form.get("file") if web.form is not None else None
    if not isinstance(file, UploadFile) or not file.filename:
        return await import_form(web, error=web._("Choose a file."), status=400)
    token = await web.run(uploads.keep, file.file, file.filename, web.account.id)
    return await _show_preview(web, token, web.field("group"))


async def _show_preview(web: Web, token: str, group_id: str, error: str | None = None) -> Response:
    try:
        group = await web.run(groups.get_group, web.store, web.account, group_id)
    except NotFoundError:
        return not_found(web)
    kept = uploads.find(token, web.account.id)
    if kept is None:
        return await import_form(web, error=web._("Choose a file."), status=400)
    try:
        header, columns, rows, kind = await web.run(_preview, *kept)
    except SourceError as exc:
        uploads.drop(token)
        return await import_form(web, error=str(exc), status=400)
    choices = [(f.wire, field_label(web, f.attribute)) for f in CONTACT_FIELDS]
    return web.render(
        "import_preview.html",
        status=400 if error else 200,
        group=group,
        token=token,
        file_name=kept[1],
        kind=kind,
        header=header,
        detected=[columns.get(i, _IGNORE) for i in range(len(header))],
        rows=rows,
        choices=choices,
        date_formats=DATE_FORMATS,
        error=error,
    )


async def start(web: Web) -> Response:
    """``POST /import/start``: queue the job from the kept file; go to its page."""
    token, group_id = web.field("token"), web.field("group")
    kept = uploads.find(token, web.account.id)
    if kept is None:
        return await import_form(web, error=web._("Choose a file."), status=400)
    path, name = kept
    header = await web.run(lambda: _preview(path, name)[0])
    mapping = {
        column.strip(): web.field(f"column-{i}") or _IGNORE
        for i, column in enumerate(header)
        if column.strip()
    }
    request = imports.ImportRequest(
        group_id=group_id,
        file_name=name,
        mapping=mapping,
        date_format=web.field("date_format") or "auto",
        options=BatchOptions(
            dry_run=web.field("dry_run") == "1",
            keep_invalid_optional=web.field("keep_invalid_optional") == "1",
        ),
        skip_existing=web.field("skip_existing") == "1",
    )
    max_bytes = web.request.app.state.settings.import_max_bytes

    def run() -> ImportJobRecord:
        with path.open("rb") as file:
            return imports.start_import(web.store, web.account, request, file, max_bytes=max_bytes)

    try:
        job = await web.run(run)
    except NotFoundError:
        return not_found(web)
    except CarnetError as exc:
        message = next(iter(exc.errors.values()), exc.message)
        return await _show_preview(web, token, group_id, error=message)
    uploads.drop(token)
    runner = web.request.app.state.import_runner
    if runner is not None:
        runner.wake()
    return web.redirect(f"/imports/{job.public_id}")


def _progress(job: ImportJobRecord) -> int:
    if job.status == "done":
        return 100
    if job.bytes_total <= 0:
        return 0
    return min(99, job.bytes_done * 100 // job.bytes_total)


async def job_page(web: Web) -> Response:
    """``GET /imports/{id}``: the job, whole page; ``/imports/{id}/progress``: its live part."""
    import_id = web.request.path_params["import_id"]
    try:
        job = await web.run(imports.get_import, web.store, web.account, import_id)
        group = await web.run(groups.get_group, web.store, web.account, job.group_public_id)
    except NotFoundError:
        return not_found(web)
    counts = ImportCounts.from_json(job.report)
    template = "import_job.html"
    if web.request.url.path.endswith("/progress"):
        template = "import_progress.html"
    return web.render(
        template,
        job=job,
        group=group,
        counts=counts,
        rapport=counts.rapport(),
        refused=sum(counts.refused.values()),
        percent=_progress(job),
        buckets=[(web._(label), counts.refused.get(b, 0)) for b, label in BUCKET_LABELS.items()],
        ended=job.status in ENDED,
    )


async def rejects(web: Web) -> Response:
    """``GET /imports/{id}/rejects.csv``: the refused rows, as ``carnet import --rejects``."""
    import_id = web.request.path_params["import_id"]
    keep_days = web.request.app.state.settings.import_keep_days
    try:
        job, lines = await web.run(
            imports.import_rejects, web.store, web.account, import_id, keep_days=keep_days
        )
    except NotFoundError:
        return not_found(web)
    encoding = imports.rejects_format(job).encoding
    return StreamingResponse(
        lines,
        media_type=f"text/csv; charset={charset(encoding)}",
        headers={"Content-Disposition": 'attachment; filename="refused-rows.csv"'},
    )
