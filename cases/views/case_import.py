"""``/cases/import/``: upload a file, read the dry run's report as a table, then confirm the import.

The upload is kept in a temporary file between the check and the confirmation, named by a random token
held in the user's session, so that nobody else can confirm it and the file is not sent twice.
"""

import secrets
import tempfile
import time
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from cases import access
from cases.imports.engine import ImportRefused, import_cases
from cases.imports.uploads import limit_uploads, too_large_message
from cases.models import Site

SESSION_KEY = "case_imports"
SPOOL = Path(tempfile.gettempdir()) / "registry-imports"
# A checked file nobody confirmed is removed when a later upload finds it this old.
SPOOL_HOURS = 24


def _sites(user):
    sites = Site.objects.order_by("name")
    return sites if access.is_curator(user) else sites.filter(pk__in=access.clinician_site_ids(user))


def _spool(request, upload) -> str:
    SPOOL.mkdir(mode=0o700, exist_ok=True)
    stale = time.time() - SPOOL_HOURS * 3600
    for old in SPOOL.iterdir():
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    with (SPOOL / token).open("wb") as spooled:
        for chunk in upload.chunks():
            spooled.write(chunk)
    request.session.setdefault(SESSION_KEY, {})[token] = upload.name
    request.session.modified = True
    return token


@csrf_exempt  # the upload handlers are set before the CSRF check reads the body, then the check runs
def case_import(request):
    limit_uploads(request)
    return _case_import(request)


@login_required
@csrf_protect
def _case_import(request):
    user = request.user
    if not access.can_enter_cases(user):
        raise PermissionDenied("Only clinicians of a site and curators import cases.")
    context = {
        "sites": _sites(user),
        "site": request.POST.get("site", ""),
        "partial": bool(request.POST.get("partial")),
    }
    if request.method != "POST":
        return render(request, "cases/case_import.html", context)
    if request.import_upload_too_large:
        context["form_errors"] = [too_large_message()]
        return render(request, "cases/case_import.html", context, status=400)
    confirm = request.POST.get("token", "")
    if confirm:
        name = request.session.get(SESSION_KEY, {}).get(confirm)
        if name is None or not (SPOOL / confirm).is_file():
            context["form_errors"] = ["This check has expired: upload the file again."]
            return render(request, "cases/case_import.html", context, status=400)
        token, path = confirm, SPOOL / confirm
    elif "file" in request.FILES:
        upload = request.FILES["file"]
        token, path, name = _spool(request, upload), None, upload.name
        path = SPOOL / token
    else:
        context["form_errors"] = ["Choose the file to import."]
        return render(request, "cases/case_import.html", context, status=400)
    try:
        with path.open("rb") as handle:
            report = import_cases(
                user=user,
                site=context["site"],
                upload=handle,
                name=name,
                dry_run=not confirm,
                partial=context["partial"],
            )
    except ImportRefused as refused:
        context["form_errors"] = [m for messages_ in refused.errors.values() for m in messages_]
        return render(request, "cases/case_import.html", context, status=400)
    if confirm and report.created:
        path.unlink(missing_ok=True)
        request.session[SESSION_KEY].pop(confirm, None)
        request.session.modified = True
        messages.success(request, f"{len(report.created)} of {report.cases} cases imported into {context['site']}.")
        return redirect("cases:list")
    context.update(report=report, token=token, file_name=name)
    return render(request, "cases/case_import.html", context, status=200 if report.valid else 400)
