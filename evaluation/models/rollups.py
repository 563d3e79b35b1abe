"""Rollup tables the dashboards read, refreshed incrementally from the core change feed.

Each row is one combination of the dashboard's dimensions in one month. Every filter
(borough, organisation, programme, staff group, topic, period) is answered from these rows
alone, so a page's cost does not grow with the number of conversations. Topics and
programmes are kept as ids (evaluation reads those apps only through their selectors).
"""

from __future__ import annotations

from django.db import models

from accounts.models import Area, Organisation


class _Rollup(models.Model):
    month = models.DateField(help_text="The first day of the month.")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.month:%Y-%m} organisation {self.organisation_id}"


class ConversationRollup(_Rollup):
    """Conversations, and the signposts and referrals made in them."""

    staff_group = models.CharField(max_length=30, blank=True)
    mecc_level = models.CharField(max_length=30)
    outcome = models.CharField(max_length=30)
    conversations = models.PositiveIntegerField(default=0)
    signposts = models.PositiveIntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "organisation"], name="convroll_month_org_idx"),
            models.Index(fields=["area", "month"], name="convroll_area_month_idx"),
            # A dashboard filtered to one organisation reads only its rows.
            models.Index(fields=["organisation", "month"], name="convroll_org_month_idx"),
        ]


class ConversationTopicRollup(_Rollup):
    """As ConversationRollup, once for each topic a conversation raised."""

    staff_group = models.CharField(max_length=30, blank=True)
    topic_id = models.PositiveIntegerField(db_index=True)
    mecc_level = models.CharField(max_length=30)
    outcome = models.CharField(max_length=30)
    conversations = models.PositiveIntegerField(default=0)
    signposts = models.PositiveIntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "organisation"], name="topicroll_month_org_idx"),
            models.Index(fields=["area", "month"], name="topicroll_area_month_idx"),
            # A topic filter with an organisation or a borough filter reads only those rows.
            models.Index(
                fields=["organisation", "topic_id", "month"], name="topicroll_org_topic_idx"
            ),
            models.Index(fields=["area", "topic_id", "month"], name="topicroll_area_topic_idx"),
        ]


class ReferralOutcomeRollup(_Rollup):
    """Consented referrals by their current status, in the month of the conversation."""

    staff_group = models.CharField(max_length=30, blank=True)
    topic_id = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20)
    referrals = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "organisation"], name="outroll_month_org_idx"),
            models.Index(fields=["organisation", "month"], name="outroll_org_month_idx"),
        ]


class TrainingRollup(_Rollup):
    """Courses completed, in the learner's organisation and borough."""

    programme_id = models.PositiveIntegerField()
    staff_group = models.CharField(max_length=30, blank=True)
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "organisation"], name="trainroll_month_org_idx"),
            models.Index(fields=["organisation", "month"], name="trainroll_org_month_idx"),
        ]


class SessionRollup(_Rollup):
    """Sessions held, people who attended and what they cost, by the running organisation."""

    programme_id = models.PositiveIntegerField()
    sessions = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    cost_pence = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "organisation"], name="sessroll_month_org_idx"),
        ]


class Watermark(models.Model):
    """How far the refresh has read one change stream, and when it last finished."""

    stream = models.CharField(max_length=50, unique=True)
    last_change_id = models.PositiveBigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.stream} at {self.last_change_id}"
