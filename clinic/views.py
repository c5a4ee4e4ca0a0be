from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from clinic.accounts.permissions import Permission, has_permission


@require_GET
def home(request):
    if has_permission(request.user, Permission.RECORD_CLINICAL):
        return redirect("treatment_sessions:worklist")
    if has_permission(request.user, Permission.VIEW_REPORTS):
        return redirect("reports:dashboard")
    return redirect("admin:index")


@require_GET
@login_not_required
def healthz(request) -> HttpResponse:
    """Liveness and database reachability for a load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
