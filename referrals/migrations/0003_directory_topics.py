"""Reference data: the MECC prevention topics taxonomy (idempotent by slug).

SNOMED CT codes are only those published in the NHS code sets listed in
shared/standards/README.md; the rest stay blank for a commissioner to fill in.
"""

import uuid

from django.db import migrations

TAXONOMY_UUID = uuid.uuid5(uuid.NAMESPACE_URL, "mecc-portal:taxonomy:prevention-topics")

# slug, name, description, SNOMED code, SNOMED term, urgent support first, display order
TOPICS = [
    ("mental-health-crisis", "Mental health crisis",
     "Someone is in crisis now or at risk of harming themselves.", "", "", True, 1),
    ("safeguarding", "Safeguarding",
     "A child or adult may be at risk of abuse or neglect.", "", "", True, 2),
    ("smoking", "Smoking",
     "Stopping smoking and tobacco use.", "710081004", "Smoking cessation therapy", False, 10),
    ("alcohol", "Alcohol", "Drinking less alcohol.", "", "", False, 20),
    ("physical-activity", "Physical activity", "Moving more and being active.",
     "390893007", "Referral to physical activity program", False, 30),
    ("healthy-eating-and-weight", "Healthy eating and weight",
     "Eating well and reaching a healthy weight.", "771491000000104",
     "Referral to local authority weight management programme", False, 40),
    ("mental-wellbeing", "Mental wellbeing",
     "Low mood, stress and anxiety, and looking after your mind.", "", "", False, 50),
    ("dementia", "Dementia", "Memory worries and living well with dementia.", "", "", False, 60),
    ("loneliness", "Loneliness and social isolation",
     "Feeling lonely or cut off from other people.", "", "", False, 70),
    ("sexual-health", "Sexual health",
     "Contraception, testing and sexual health advice.", "", "", False, 80),
    ("debt-and-money", "Debt and money", "Money worries, debt and benefits.", "", "", False, 90),
    ("employment", "Employment", "Finding or staying in work.", "", "", False, 100),
    ("housing", "Housing", "Housing problems, homelessness and cold homes.", "", "", False, 110),
    ("carers-support", "Carers' support",
     "Support for people who look after someone.", "", "", False, 120),
    ("falls", "Falls", "Preventing falls and staying steady.", "", "", False, 130),
    ("social-prescribing", "Social prescribing",
     "Link workers who connect people to local activities and support.", "871731000000106",
     "Referral to social prescribing service", False, 140),
]


def add_topics(apps, schema_editor):
    Taxonomy = apps.get_model("referrals", "Taxonomy")
    Topic = apps.get_model("referrals", "Topic")
    taxonomy, _ = Taxonomy.objects.get_or_create(
        uuid=TAXONOMY_UUID,
        defaults={
            "name": "MECC prevention topics",
            "description": "The prevention topics Making Every Contact Count conversations "
            "raise, used to find and code services.",
            "version": "1",
        },
    )
    for slug, name, description, code, display, urgent, order in TOPICS:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            Topic.objects.create(
                uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"mecc-portal:topic:{slug}"),
                slug=slug,
                name=name,
                description=description,
                snomed_code=code,
                snomed_display=display,
                urgent_support_first=urgent,
                display_order=order,
                taxonomy=taxonomy,
            )
        elif topic.taxonomy_id is None:
            topic.taxonomy = taxonomy
            topic.save(update_fields=["taxonomy"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_directory_oruk")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
