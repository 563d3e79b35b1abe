"""Prevention topics: commissioners and administrators add and change them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.access import Permission
from accounts.decorators import permission_required
from referrals.forms.topics import TopicForm
from referrals.models import Topic
from referrals.services import topics as services


@require_GET
@permission_required(Permission.MANAGE_TOPICS)
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.order_by("-urgent_support_first", "display_order", "name")
    return render(request, "referrals/topics/list.html", {"topics": topics})


@permission_required(Permission.MANAGE_TOPICS)
def topic_create(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = services.topic_create(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, f"{topic.name} has been added")
        return redirect("referrals:topic_list")
    return render(request, "referrals/topics/form.html", {"form": form, "topic": None})


@permission_required(Permission.MANAGE_TOPICS)
def topic_edit(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    form = TopicForm(request.POST or None, instance=Topic.objects.get(pk=topic.pk))
    if request.method == "POST" and form.is_valid():
        services.topic_update(
            topic=topic, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, f"{topic.name} has been updated")
        return redirect("referrals:topic_list")
    return render(request, "referrals/topics/form.html", {"form": form, "topic": topic})
