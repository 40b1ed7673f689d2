"""The practice manager's pages for request templates, mounted at /practice/templates/.

A template from another practice answers 404, whatever the visitor's role.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinical_photos.accounts.permissions import Permission, permission_required

from . import services
from .forms import TEMPLATE_NAME_TAKEN, TemplateForm


def _practice_template(request, template_id):
    return get_object_or_404(request.user.practice.request_templates, id=template_id)


@permission_required(Permission.MANAGE_PRACTICE)
@require_GET
def template_list(request):
    return render(
        request,
        "photo_requests/request_templates/list.jinja",
        {
            "page_title": "Request templates",
            "templates": request.user.practice.request_templates.order_by("name"),
            "column_width": "full",
        },
    )


@permission_required(Permission.MANAGE_PRACTICE)
@require_http_methods(["GET", "POST"])
def add_template(request):
    form = TemplateForm(
        request.POST if request.method == "POST" else None, practice=request.user.practice
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = services.add_template(by=request.user, **form.cleaned_data)
        except services.DuplicateTemplateName:
            form.add_error("name", TEMPLATE_NAME_TAKEN)
        else:
            messages.success(request, f"The template {template.name} has been added")
            return redirect("request_templates:list")
    return render(
        request,
        "photo_requests/request_templates/form.jinja",
        {
            "page_title": "Add a request template",
            "form": form,
            "button_text": "Add template",
        },
    )


@permission_required(Permission.MANAGE_PRACTICE, scope=_practice_template)
@require_http_methods(["GET", "POST"])
def edit_template(request, template_id):
    template = _practice_template(request, template_id)
    form = TemplateForm(
        request.POST if request.method == "POST" else None,
        practice=request.user.practice,
        template=template,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.change_template(
                by=request.user, template=template, **form.cleaned_data
            )
        except services.DuplicateTemplateName:
            form.add_error("name", TEMPLATE_NAME_TAKEN)
        else:
            if changed:
                messages.success(request, f"The template {template.name} has been changed")
            else:
                messages.info(request, "Nothing was changed")
            return redirect("request_templates:list")
    return render(
        request,
        "photo_requests/request_templates/form.jinja",
        {
            "page_title": "Change a request template",
            "form": form,
            "template": template,
            "button_text": "Save changes",
        },
    )
