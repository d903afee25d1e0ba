"""Every write to review conferences (hội nghị), the awards given at them, and review reports with their PDF versions.

Same pattern as the other apps: keyword-only typed arguments, validation with Vietnamese messages,
``full_clean()``, one transaction, the acting user in the audit context. ``actor=None`` is the
system (demo loader, imports).
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

import pghistory
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.db.models import CharField, F, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Cluster, Unit
from agreements.permissions import can_manage_registry
from agreements.selectors import agreement_unit_ids
from borderzone.formatting import nfc
from borderzone.services import audit_context

from . import pdf, selectors
from .models import (
    NARRATIVE_FIELDS,
    Award,
    AwardForm,
    Conference,
    ReportKind,
    ReportStatus,
    ReportVersion,
    ReviewReport,
    VersionStatus,
)
from .pdf import ReportRenderError

logger = logging.getLogger(__name__)



def _require_rights(actor, agreement: Agreement) -> None:
    """The system, or a staff officer / administrator who sees the agreement."""
    if actor is None:
        return
    if not can_manage_registry(actor) or not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _unit_active_on(unit: Unit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or day <= unit.valid_to)


def _validate_units(
    *, agreement: Agreement, host_unit: Unit, attending_units: Sequence[Unit], held_on: datetime.date
) -> None:
    allowed = agreement_unit_ids(agreement=agreement)
    errors: dict[str, list[str]] = {}
    if host_unit.pk not in allowed:
        errors.setdefault("host_unit", []).append(
            _("%(unit)s không thuộc các bên của quy chế.") % {"unit": host_unit}
        )
    elif not _unit_active_on(host_unit, held_on):
        errors.setdefault("host_unit", []).append(
            _("%(unit)s không hoạt động vào ngày %(day)s.") % {"unit": host_unit, "day": f"{held_on:%d/%m/%Y}"}
        )
    others = [u for u in attending_units if u.pk != host_unit.pk]
    outside = [u for u in others if u.pk not in allowed]
    if outside:
        errors.setdefault("attending_units", []).append(
            _("%(units)s không thuộc các bên của quy chế.") % {"units": ", ".join(str(u) for u in outside)}
        )
    inactive = [u for u in others if u.pk in allowed and not _unit_active_on(u, held_on)]
    if inactive:
        errors.setdefault("attending_units", []).append(
            _("%(units)s không hoạt động vào ngày %(day)s.")
            % {"units": ", ".join(str(u) for u in inactive), "day": f"{held_on:%d/%m/%Y}"}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conference_create(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    title: str,
    held_on: datetime.date,
    host_unit: Unit,
    place: str = "",
    cluster: Cluster | None = None,
    attending_units: Sequence[Unit] = (),
    period_year: int | None = None,
    outcomes: str = "",
    new_agreement: Agreement | None = None,
) -> Conference:
    """Record a conference held under an agreement (sơ kết, tổng kết, ký kết, giao ban).

    Must hold: the actor is the system or a staff officer / administrator who sees the agreement
    (and the new agreement, if any); ``kind`` is one of ``ConferenceKind``; the title is not blank;
    the conference was held, not in the future, and not before the agreement was signed; the
    cluster, if any, belongs to the agreement; the host and every attending unit are parties of
    the agreement or units under them, active on that day (the host is counted among the
    attending units); the year reviewed is not after the year of the conference, nor before the
    agreement took effect; an agreement signed at the conference is another agreement, signed on
    the day of the conference.
    """
    _require_rights(actor, agreement)
    if new_agreement is not None:
        _require_rights(actor, new_agreement)
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Ngày tổ chức nằm ở tương lai.")
    elif agreement.signed_on and held_on < agreement.signed_on:
        errors["held_on"] = _("Hội nghị không thể diễn ra trước ngày ký quy chế (%(day)s).") % {
            "day": f"{agreement.signed_on:%d/%m/%Y}"
        }
    if cluster is not None and cluster.agreement_id != agreement.pk:
        errors["cluster"] = _("Cụm phải thuộc quy chế phối hợp đã chọn.")
    if period_year is not None:
        started = agreement.effective_from or agreement.signed_on
        if period_year > held_on.year:
            errors["period_year"] = _("Năm được đánh giá không thể sau năm tổ chức hội nghị.")
        elif started is not None and period_year < started.year:
            errors["period_year"] = _("Năm được đánh giá không thể trước năm quy chế có hiệu lực.")
    if new_agreement is not None:
        if new_agreement.pk == agreement.pk:
            errors["new_agreement"] = _("Quy chế được ký tại hội nghị phải khác quy chế được sơ kết, tổng kết.")
        elif new_agreement.signed_on and new_agreement.signed_on != held_on:
            errors["new_agreement"] = _("Quy chế này ký ngày %(day)s, không phải ngày tổ chức hội nghị.") % {
                "day": f"{new_agreement.signed_on:%d/%m/%Y}"
            }
    if errors:
        raise ValidationError(errors)
    attending = list({u.pk: u for u in [host_unit, *attending_units]}.values())
    _validate_units(agreement=agreement, host_unit=host_unit, attending_units=attending, held_on=held_on)
    conference = Conference(
        agreement=agreement, cluster=cluster, kind=kind, title=title.strip(), held_on=held_on, place=place.strip(),
        host_unit=host_unit, period_year=period_year, outcomes=outcomes, new_agreement=new_agreement,
    )
    conference.full_clean()
    with audit_context(actor):
        conference.save()
        conference.attending_units.set(attending)
    return conference


@transaction.atomic
def award_create(
    *,
    actor,
    conference: Conference,
    recipient_kind: str,
    recipient: str,
    authority: str,
    form: str = AwardForm.CERTIFICATE,
    recipient_unit: Unit | None = None,
    reason: str = "",
) -> Award:
    """Record an award (giấy khen, bằng khen) given at a conference to a collective or an individual.

    Must hold: the actor may record conferences of the conference's agreement; ``recipient_kind``
    is one of ``RecipientKind`` and ``form`` one of ``AwardForm``; recipient and awarding
    authority are not blank; the unit the recipient belongs to, if given, is a party of the
    agreement or under one; the same recipient is not awarded twice at the same conference.
    """
    _require_rights(actor, conference.agreement)
    recipient, authority = recipient.strip(), authority.strip()
    if recipient_unit is not None and recipient_unit.pk not in agreement_unit_ids(agreement=conference.agreement):
        raise ValidationError(
            {"recipient_unit": _("%(unit)s không thuộc các bên của quy chế.") % {"unit": recipient_unit}}
        )
    if recipient and conference.awards.filter(recipient_kind=recipient_kind, recipient__iexact=recipient).exists():
        raise ValidationError({"recipient": _("%(name)s đã được khen thưởng tại hội nghị này.") % {"name": recipient}})
    award = Award(
        conference=conference, recipient_kind=recipient_kind, recipient=recipient, authority=authority, form=form,
        recipient_unit=recipient_unit, reason=reason,
    )
    award.full_clean()
    with audit_context(actor):
        award.save()
    return award


# Review reports (báo cáo sơ kết / tổng kết) ------------------------------------------------------

# Fields of a report a staff officer writes; the scope (agreement) is fixed at creation.
REPORT_TEXT_FIELDS = (
    "kind", "subject", *NARRATIVE_FIELDS, "document_number", "place", "issued_on", "parent_body", "issuing_unit",
    "signatory_authority", "signatory_position", "signatory_name", "recipients",
)
REPORT_SCOPE_FIELDS = ("cluster", "period_start", "period_end", "comparison_start", "comparison_end")
# A multi-year review (tổng kết 5 năm) is the longest a report covers.
MAX_PERIOD_DAYS = 366 * 10
# A rendering worker refreshes its claim's heartbeat this often; a claim whose heartbeat is older than
# STALE_RENDERING belongs to a worker that died (or hangs), so a redelivery or the sweep takes it over.
HEARTBEAT_EVERY = 10.0
STALE_RENDERING = datetime.timedelta(seconds=45)
# A version still queued this long was probably never delivered (no worker, lost message): it may be retried.
STALE_QUEUED = datetime.timedelta(minutes=5)
# The sweep sends again a message handed to the broker this long ago and still not claimed (lost with a
# restarted Redis, or waiting behind a backlog, where the duplicate finds nothing to claim).
RESEND_AFTER = datetime.timedelta(minutes=2)
# A request never handed to the broker (unreachable) is sent by the sweep once this old: younger, its
# on-commit send may still be under way.
SEND_GRACE = datetime.timedelta(seconds=30)


def _validate_report(report: ReviewReport) -> None:
    """Vietnamese messages by field; ``full_clean`` adds the field-level ones (lengths, choices)."""
    errors: dict[str, str] = {}
    if report.period_start and report.period_end:
        if report.period_end <= report.period_start:
            errors["period_end"] = _("Ngày kết thúc kỳ báo cáo không thể trước ngày bắt đầu.")
        elif (report.period_end - report.period_start).days > MAX_PERIOD_DAYS:
            errors["period_end"] = _("Kỳ báo cáo dài quá 10 năm.")
        if report.period_start > timezone.localdate():
            errors["period_start"] = _("Kỳ báo cáo chưa bắt đầu.")
    has_start, has_end = report.comparison_start is not None, report.comparison_end is not None
    if has_start != has_end:
        errors["comparison_start" if not has_start else "comparison_end"] = _(
            "Nhập đủ ngày bắt đầu và ngày kết thúc của kỳ so sánh, hoặc bỏ trống cả hai."
        )
    elif has_start:
        if report.comparison_end <= report.comparison_start:
            errors["comparison_end"] = _("Ngày kết thúc kỳ so sánh không thể trước ngày bắt đầu.")
        elif report.period_start and report.comparison_end > report.period_start:
            errors["comparison_end"] = _("Kỳ so sánh phải kết thúc trước khi kỳ báo cáo bắt đầu.")
    if report.cluster_id is not None and report.cluster.agreement_id != report.agreement_id:
        errors["cluster"] = _("Cụm phải thuộc quy chế phối hợp đã chọn.")
    if report.issued_on and report.period_start and report.issued_on < report.period_start:
        errors["issued_on"] = _("Ngày ban hành không thể trước ngày bắt đầu kỳ báo cáo.")
    try:
        report.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


def _clean_texts(values: dict) -> dict:
    return {
        name: nfc(value.strip()) if isinstance(value, str) else value
        for name, value in values.items()
    }


@transaction.atomic
def report_create(
    *,
    actor,
    agreement: Agreement,
    period_start: datetime.date,
    period_end: datetime.date,
    kind: str = ReportKind.INTERIM,
    cluster: Cluster | None = None,
    comparison_start: datetime.date | None = None,
    comparison_end: datetime.date | None = None,
    **texts,
) -> ReviewReport:
    """Start a review report of an agreement (or one of its clusters) for a period.

    Periods are half-open ``[start, end)`` local dates. Must hold: the actor is the system or a
    staff officer / administrator who sees the agreement; the period ends after it starts, has
    begun, and is at most ten years long; the comparison period (optional, both dates or none)
    ends after it starts and no later than the period starts; the cluster belongs to the
    agreement; the date of issue is not before the period. ``texts`` are the fields of
    ``REPORT_TEXT_FIELDS`` besides ``kind`` (narrative, number, place, issuing body, signatory,
    recipients).
    """
    _require_rights(actor, agreement)
    unknown = set(texts) - set(REPORT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"report_create() got unexpected fields: {', '.join(sorted(unknown))}")
    report = ReviewReport(
        agreement=agreement, cluster=cluster, kind=kind, period_start=period_start, period_end=period_end,
        comparison_start=comparison_start, comparison_end=comparison_end,
        created_by=actor if getattr(actor, "pk", None) else None, **_clean_texts(texts),
    )
    _validate_report(report)
    with audit_context(actor):
        report.save()
    return report


@transaction.atomic
def report_update(*, actor, report: ReviewReport, **values) -> ReviewReport:
    """Change a report's text or period (``REPORT_TEXT_FIELDS`` and ``REPORT_SCOPE_FIELDS``); same rules as create.

    Versions already generated keep the figures and the text they were printed from.
    """
    _require_rights(actor, report.agreement)
    unknown = set(values) - set(REPORT_TEXT_FIELDS) - set(REPORT_SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"report_update() got unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in _clean_texts(values).items():
        setattr(report, name, value)
    _validate_report(report)
    with audit_context(actor):
        report.save()
    return report


def _sync_report_status(report_id: int) -> None:
    """The report's status is its latest version's (draft while it has none)."""
    latest = ReportVersion.objects.filter(report_id=report_id).order_by("-number").values("status")[:1]
    ReviewReport.objects.filter(pk=report_id).update(
        status=Coalesce(Subquery(latest), Value(ReportStatus.DRAFT), output_field=CharField())
    )


def _send(version_id: int, task_id: str) -> None:
    """Hand the render task to the broker and note when; raises what the broker raised."""
    from .tasks import render_report_version

    options = {"task_id": task_id}
    queue = settings.REPORT_TASK_QUEUE
    if queue:
        options["queue"] = queue
    render_report_version.apply_async((version_id,), **options)
    ReportVersion.objects.filter(pk=version_id).update(sent_at=timezone.now())


def _enqueue(version: ReportVersion) -> None:
    """Send the render task once the transaction commits.

    A broker that cannot be reached keeps the request: the version stays queued with a note saying
    so, and the sweep (``report_versions_sweep``) sends it when the broker is back.
    """
    version_id, task_id = version.pk, version.task_id

    def send() -> None:
        try:
            _send(version_id, task_id)
        except Exception as exc:  # the broker is down: say so on the page; the request is kept
            logger.warning("report version %s: could not queue the render task (%r); kept queued",
                           version_id, exc)
            ReportVersion.objects.filter(pk=version_id, status=VersionStatus.QUEUED).update(error=_(
                "Không gửi được yêu cầu tới hàng đợi xử lý (%(error)s): hàng đợi tạm thời không hoạt động. "
                "Yêu cầu vẫn được giữ và sẽ tự động được xử lý khi hàng đợi hoạt động trở lại."
            ) % {"error": type(exc).__name__})

    transaction.on_commit(send)


def report_request_pdf(*, actor, report: ReviewReport) -> ReportVersion:
    """Queue a new PDF version of the report, with the figures computed now and the text as it is now.

    The version row is written (status "queued") in the caller's transaction and the render task
    is sent only when it commits (``render_report_version``); without a worker the version simply
    stays queued. Must hold: the actor is the system or a staff officer / administrator who sees
    the agreement.
    """
    _require_rights(actor, report.agreement)
    with transaction.atomic():
        # One number per version, even when two people ask at the same moment.
        locked = ReviewReport.objects.select_for_update(of=("self",)).select_related("agreement", "cluster").get(
            pk=report.pk
        )
        figures = selectors.report_figures(locked)
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = ReportVersion(
            report=locked, number=number, requested_by=actor if getattr(actor, "pk", None) else None,
            requested_at=timezone.now(), status=VersionStatus.QUEUED, figures=figures, content=locked.snapshot(),
            task_id=str(uuid.uuid4()),
        )
        version.full_clean(exclude=["pdf", "html"])
        with audit_context(actor):
            version.save()
            _sync_report_status(locked.pk)
        _enqueue(version)
    report.status = ReportStatus.QUEUED
    return version


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ReportRenderError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("Quá thời gian cho phép khi tạo PDF.")
    if isinstance(exc, OperationalError):
        return _("Mất kết nối cơ sở dữ liệu khi tạo PDF; hệ thống sẽ tự thử lại.")
    return (_("Lỗi khi tạo PDF: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"})[:1000]


def _mark_failed(version_id: int, *, reason: str, started_at: datetime.datetime | None = None,
                 only_from: tuple[str, ...] = (VersionStatus.RENDERING,)) -> None:
    """Record the failure unless another delivery has taken the version over meanwhile."""
    try:
        with transaction.atomic(), pghistory.context(task="render_report_version"):
            rows = ReportVersion.objects.filter(pk=version_id, status__in=only_from)
            if started_at is not None:
                rows = rows.filter(started_at=started_at)
            report_id = rows.values_list("report_id", flat=True).first()
            if report_id is None:
                return
            rows.update(status=VersionStatus.FAILED, error=reason, finished_at=timezone.now())
            _sync_report_status(report_id)
    except Exception:  # the database itself may be what failed; the original error is what matters
        logger.exception("report version %s: could not record the failure", version_id)


def _abandoned(now: datetime.datetime) -> Q:
    """A rendering claim whose worker stopped saying it is alive (claims without a heartbeat: by start)."""
    cutoff = now - STALE_RENDERING
    return Q(status=VersionStatus.RENDERING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def render_root() -> Path:
    """Where renders keep their temporary files: one directory per attempt, ``v<id>-a<attempt>``.

    Named after the database, since version ids of two databases on one host (tests) overlap.
    """
    name = "".join(c if c.isalnum() else "-" for c in str(settings.DATABASES["default"]["NAME"]))
    return Path(tempfile.gettempdir()) / f"bz-report-render-{name}"


class _Heartbeat:
    """Refreshes the claim's heartbeat from a thread (its own connection) while the render runs."""

    def __init__(self, version_id: int, claimed_at: datetime.datetime) -> None:
        self.rows = ReportVersion.objects.filter(pk=version_id, status=VersionStatus.RENDERING, started_at=claimed_at)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name=f"heartbeat-v{version_id}", daemon=True)

    def run(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_EVERY):
                try:
                    self.rows.update(heartbeat_at=timezone.now())
                except Exception:  # a missed beat only risks a takeover, which the claim check handles
                    logger.warning("report version: heartbeat not recorded", exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(HEARTBEAT_EVERY)


def _remove_orphan_pdfs(row: ReportVersion, prefix: str) -> None:
    """Files of this version a killed attempt stored without attaching them (the row has none yet)."""
    folder = f"reports/{row.report_id}"
    for name in default_storage.listdir(folder)[1] if default_storage.exists(folder) else ():
        if name == f"{prefix}.pdf" or (name.startswith(f"{prefix}_") and name.endswith(".pdf")):
            default_storage.delete(f"{folder}/{name}")


def report_version_render(*, version_id: int) -> str | None:
    """Render one queued version to PDF: the body of the Celery task, safe to run twice.

    1. Claim the row atomically (queued or failed → rendering, or a rendering claim whose heartbeat
       stopped for ``STALE_RENDERING``), recording the worker process; a duplicate delivery finds
       nothing to claim and returns None.
    2. Build the HTML from the version's stored figures and text, and let WeasyPrint write the PDF
       into this attempt's directory under ``render_root()`` (earlier attempts' are removed), outside
       any transaction, while a thread keeps the heartbeat fresh.
    3. In one transaction: attach the whole file to the row and mark it ready (only if the claim is
       still ours). On an exception the version is marked failed with the reason, which is re-raised
       (the task retries database errors). The attempt's directory is removed in every case.
    Returns the final status, or None when there was nothing to do.
    """
    claimed_at = timezone.now()
    with transaction.atomic(), pghistory.context(task="render_report_version"):
        claimable = Q(status__in=(VersionStatus.QUEUED, VersionStatus.FAILED)) | _abandoned(claimed_at)
        claimed = ReportVersion.objects.filter(claimable, pk=version_id).update(
            status=VersionStatus.RENDERING, started_at=claimed_at, heartbeat_at=claimed_at, finished_at=None,
            error="", attempts=F("attempts") + 1, claimed_by=f"{socket.gethostname()}:{os.getpid()}",
        )
        if not claimed:
            return None
        version = ReportVersion.objects.select_related("report").get(pk=version_id)
        _sync_report_status(version.report_id)
    root = render_root()
    for leftover in root.glob(f"v{version_id}-a*"):  # of attempts whose worker died
        shutil.rmtree(leftover, ignore_errors=True)
    workdir = root / f"v{version_id}-a{version.attempts}"
    stored = None
    try:
        workdir.mkdir(parents=True)
        target = workdir / "report.pdf"
        with _Heartbeat(version_id, claimed_at):
            rendered = pdf.render_pdf(version.figures, version.content, target)
        with transaction.atomic(), pghistory.context(task="render_report_version"):
            row = ReportVersion.objects.select_for_update().get(pk=version_id)
            if row.status != VersionStatus.RENDERING or row.started_at != claimed_at:
                return None  # taken over by another delivery after our claim went stale
            name = f"bao-cao-{row.report_id}-v{row.number}"
            _remove_orphan_pdfs(row, name)
            with target.open("rb") as handle:
                row.pdf.save(f"{name}.pdf", File(handle), save=False)
            stored = row.pdf.name
            row.status = VersionStatus.READY
            row.finished_at = timezone.now()
            row.html = rendered.html
            row.page_count = rendered.pages
            row.save(update_fields=["pdf", "status", "finished_at", "html", "page_count"])
            _sync_report_status(row.report_id)
        return VersionStatus.READY
    except BaseException as exc:
        if stored:
            default_storage.delete(stored)  # the row never pointed at it
        if isinstance(exc, Exception):
            _mark_failed(version_id, reason=_reason(exc), started_at=claimed_at)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report_versions_sweep() -> int:
    """Finish what a lost message or a dead worker left: the body of the periodic task (Celery beat).

    The database is the source of truth: a rendering claim whose heartbeat stopped goes back to the
    queue; a queued version never handed to the broker, or handed to it ``RESEND_AFTER`` ago and
    still not claimed, is sent again (a duplicate finds nothing to claim); attempt directories under
    ``render_root()`` that no live claim owns are removed. Returns how many versions were sent.
    """
    now = timezone.now()
    with transaction.atomic(), pghistory.context(task="sweep_report_versions"):
        stale = list(ReportVersion.objects.select_for_update(skip_locked=True).filter(_abandoned(now))
                     .values_list("pk", "report_id", "claimed_by"))
        for pk, report_id, owner in stale:
            logger.warning("report version %s: worker %s stopped rendering it; queued again", pk, owner or "?")
            ReportVersion.objects.filter(pk=pk).update(status=VersionStatus.QUEUED, started_at=None,
                                                       heartbeat_at=None, claimed_by="", sent_at=None)
            _sync_report_status(report_id)
    due = ReportVersion.objects.filter(status=VersionStatus.QUEUED).filter(
        Q(sent_at__isnull=True, requested_at__lt=now - SEND_GRACE) | Q(sent_at__lt=now - RESEND_AFTER)
        | Q(pk__in=[pk for pk, _r, _o in stale])
    ).order_by("requested_at").values_list("pk", "task_id")
    sent = 0
    for pk, task_id in due:
        try:
            _send(pk, task_id)
        except Exception as exc:  # the broker is still down: the next sweep tries again
            logger.warning("report versions: the broker is unreachable (%r); %s left queued", exc, pk)
            break
        ReportVersion.objects.filter(pk=pk, status=VersionStatus.QUEUED).exclude(error="").update(error="")
        sent += 1
    # Listed before the live claims are read: a directory is made only after its claim committed.
    paths = list(render_root().glob("v*-a*"))
    live = {f"v{pk}-a{n}" for pk, n in ReportVersion.objects.filter(status=VersionStatus.RENDERING)
            .exclude(_abandoned(timezone.now())).values_list("pk", "attempts")}
    for path in paths:
        if path.name not in live:
            shutil.rmtree(path, ignore_errors=True)
    return sent


def report_version_retry(*, actor, version: ReportVersion) -> ReportVersion:
    """Queue a failed version again (or one stuck in the queue for ``STALE_QUEUED``); it keeps its figures.

    Must hold: the actor may write reports of the agreement; the version failed, or has waited in
    the queue for more than five minutes (no worker took it), or its worker stopped rendering it.
    """
    _require_rights(actor, version.report.agreement)
    now = timezone.now()
    with transaction.atomic():
        row = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if not selectors.version_is_retryable(row, now):
            raise ValidationError(_("Phiên bản này đang được xử lý hoặc đã tạo xong; không cần thử lại."))
        row.status = VersionStatus.QUEUED
        row.error = ""
        row.started_at = None
        row.finished_at = None
        row.task_id = str(uuid.uuid4())
        with audit_context(actor):
            row.save(update_fields=["status", "error", "started_at", "finished_at", "task_id"])
            _sync_report_status(row.report_id)
        _enqueue(row)
    return row
