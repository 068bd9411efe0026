from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def beranda(request):
    return render(request, "perizinan/beranda.html", {})
