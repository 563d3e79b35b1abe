"""The standard survey questions (PHE/HEE MECC evaluation guide), for every programme.

Idempotent: surveys and questions are matched by kind and order, so running it again (or
after an administrator has reworded a question) changes nothing it should not.
"""

from typing import Any

from django.db import migrations

CONFIDENCE = {
    "text": "How confident do you feel about raising health and wellbeing with the people you see?",
    "kind": "likert",
    "measure": "confidence_raise_health",
    "choices": [
        "Not at all confident",
        "A little confident",
        "Fairly confident",
        "Confident",
        "Very confident",
    ],
}
KNOWLEDGE = {
    "text": "How well do you know the local services you can signpost or refer people to?",
    "kind": "likert",
    "measure": "knowledge_local_services",
    "choices": ["Not at all", "A little", "Fairly well", "Well", "Very well"],
}
INTENTION = {
    "text": "How likely are you to have MECC conversations with the people you see?",
    "kind": "likert",
    "measure": "intention_mecc_conversations",
    "choices": ["Very unlikely", "Unlikely", "Not sure", "Likely", "Very likely"],
}
SATISFACTION = {
    "text": "Overall, how satisfied are you with the course?",
    "kind": "likert",
    "measure": "satisfaction",
    "choices": [
        "Very dissatisfied",
        "Dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Satisfied",
        "Very satisfied",
    ],
}
WOULD_RECOMMEND = {
    "text": "Would you recommend this course to a colleague?",
    "kind": "yes_no",
    "measure": "would_recommend",
}
CONVERSATIONS = {
    "text": "How many MECC conversations have you had since the course?",
    "hint": "Your best estimate. Enter 0 if you have not had any.",
    "kind": "number",
    "measure": "conversations_since_training",
}
BARRIER_OPTIONS = {
    "text": "What has got in the way of having MECC conversations?",
    "hint": "Choose any that apply.",
    "kind": "checkboxes",
    "measure": "barriers",
    "required": False,
    "choices": [
        "Not enough time",
        "Not sure what to say",
        "Worried about upsetting people",
        "Did not know where to signpost people",
        "It does not feel part of my role",
        "Nothing has got in the way",
    ],
}
BARRIERS_TEXT = {
    "text": "Is there anything else that has got in the way?",
    "hint": "Optional.",
    "kind": "text",
    "measure": "barriers",
    "required": False,
}

SURVEYS: list[dict[str, Any]] = [
    {
        "kind": "pre_course",
        "title": "Before your course",
        "introduction": "Tell us where you are now, so we can see what the course changes.",
        "questions": [CONFIDENCE, KNOWLEDGE, INTENTION],
    },
    {
        "kind": "post_course",
        "title": "After your course",
        "introduction": "Tell us how you feel now you have done the course.",
        "questions": [CONFIDENCE, KNOWLEDGE, INTENTION, SATISFACTION, WOULD_RECOMMEND],
    },
    {
        "kind": "follow_up_3m",
        "title": "3 months after your course",
        "introduction": "Tell us how you have used what you learned.",
        "questions": [CONVERSATIONS, BARRIER_OPTIONS, BARRIERS_TEXT],
    },
    {
        "kind": "follow_up_6m",
        "title": "6 months after your course",
        "introduction": "Tell us how you have used what you learned.",
        "questions": [CONVERSATIONS, BARRIER_OPTIONS, BARRIERS_TEXT],
    },
]


def seed(apps: Any, schema_editor: Any) -> None:
    Survey = apps.get_model("evaluation", "Survey")
    Question = apps.get_model("evaluation", "Question")
    for spec in SURVEYS:
        survey, _ = Survey.objects.get_or_create(
            kind=spec["kind"],
            programme=None,
            defaults={"title": spec["title"], "introduction": spec["introduction"]},
        )
        for order, question in enumerate(spec["questions"], start=1):
            Question.objects.get_or_create(
                survey=survey,
                order=order,
                defaults={
                    "text": question["text"],
                    "hint": question.get("hint", ""),
                    "kind": question["kind"],
                    "measure": question["measure"],
                    "required": question.get("required", True),
                    "choices": question.get("choices", []),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_surveys")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
