"""Reference data: the three programmes and starter quality-marker criteria.

The criteria follow the themes of the MECC training quality marker checklist in the portal's
own words. An administrator should replace them with the official wording (Django admin,
Training > Quality criteria) before self-assessments are used for real.
"""

from django.db import migrations

PROGRAMMES = [
    {
        "code": "mecc",
        "name": "Making Every Contact Count",
        "description": "Use routine contacts to raise health and wellbeing, at three levels: "
        "very brief advice, brief advice and brief intervention.",
        "has_levels": True,
        "certificate_validity_months": 36,
        "requires_post_course_evaluation": True,
    },
    {
        "code": "mhfa",
        "name": "Mental Health First Aid",
        "description": "Spot the signs of mental ill health and guide a person to support. "
        "A refresher is due every 3 years.",
        "has_levels": False,
        "certificate_validity_months": 36,
        "requires_post_course_evaluation": False,
    },
    {
        "code": "dementia",
        "name": "Dementia Awareness",
        "description": "Understand dementia and how to help people living with it.",
        "has_levels": False,
        "certificate_validity_months": 24,
        "requires_post_course_evaluation": False,
    },
]

# (theme, criterion): placeholders to be replaced with the official checklist wording.
CRITERIA = [
    ("Course design", "The course has written learning outcomes that match the MECC level it is offered at."),
    ("Course design", "Content reflects current national MECC guidance and local health priorities."),
    ("Course design", "The course covers how to raise health and wellbeing in a routine contact."),
    ("Local services", "Learners are shown how to find and signpost to local services and referral routes."),
    ("Delivery", "Trainers are competent in MECC and have been trained to deliver it."),
    ("Delivery", "Sessions use active learning, such as practising conversations, not only presentation."),
    ("Delivery", "The course is accessible and reasonable adjustments are offered."),
    ("Evaluation", "Learners' confidence and intended practice are measured before and after training."),
    ("Evaluation", "Feedback is reviewed and used to improve the course."),
    ("Governance", "Attendance and completions are recorded, and certificates issued."),
    ("Governance", "There is a named lead for the course and a date for its next review."),
    ("Sustainability", "Learners are supported to keep using MECC after training, for example with refreshers or follow-up."),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("training", "Programme")
    QualityCriterion = apps.get_model("training", "QualityCriterion")
    for values in PROGRAMMES:
        Programme.objects.update_or_create(code=values["code"], defaults=values)
    if not QualityCriterion.objects.exists():
        QualityCriterion.objects.bulk_create(
            QualityCriterion(theme=theme, text=text, order=index * 10)
            for index, (theme, text) in enumerate(CRITERIA, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
