"""The public health glossary and the MECC resources library, as seeded for every install.

Definitions are written for this portal in plain English. The resources are the national MECC
documents (Public Health England and Health Education England, 2016) described in our own
words; links are left blank rather than guessed.
"""

from __future__ import annotations

# slug, term, definition, related slugs
GLOSSARY: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "mecc",
        "Making Every Contact Count (MECC)",
        "An approach to behaviour change that uses the millions of day-to-day contacts health, "
        "care and other staff have with people to encourage healthier choices. Staff are "
        "trained to notice openings, have a short conversation about health and wellbeing, and "
        "point people to help.",
        ("very-brief-advice", "brief-advice", "brief-intervention", "signposting"),
    ),
    (
        "very-brief-advice",
        "Very brief advice",
        "A conversation of 30 seconds to a couple of minutes that raises a health issue, gives "
        "a simple piece of advice and offers where to get help. It is MECC level 1 and is "
        "suitable for any member of staff.",
        ("mecc", "brief-advice", "ask-advise-act"),
    ),
    (
        "brief-advice",
        "Brief advice",
        "A short conversation, usually a few minutes, that goes a little further than very "
        "brief advice: it checks what the person already knows, gives tailored information and "
        "encourages them to think about change. It is MECC level 2.",
        ("very-brief-advice", "brief-intervention"),
    ),
    (
        "brief-intervention",
        "Brief intervention",
        "A structured conversation, often 5 to 30 minutes, that helps a person explore their "
        "behaviour, weigh up change and make a plan. It usually draws on motivational "
        "interviewing and is MECC level 3, for staff with more training.",
        ("brief-advice", "motivational-interviewing"),
    ),
    (
        "ask-advise-act",
        "Ask, advise, act",
        "The very brief advice model used for smoking: ask whether the person smokes, advise "
        "that the best way to stop is with support, and act by offering a referral to a stop "
        "smoking service.",
        ("very-brief-advice", "stop-smoking-service"),
    ),
    (
        "signposting",
        "Signposting",
        "Pointing a person to a service or source of help they can contact themselves, such as "
        "giving them a leaflet, phone number or website. No personal details are passed on.",
        ("referral", "social-prescribing"),
    ),
    (
        "referral",
        "Referral",
        "Passing a person's details to a service, with their consent, so the service can "
        "contact them. A referral needs agreement from the person and a way for the service to "
        "reach them.",
        ("signposting",),
    ),
    (
        "social-prescribing",
        "Social prescribing",
        "A way of connecting people to non-medical support in their community, such as "
        "groups, activities, advice on money or housing, and volunteering. In the NHS it is "
        "often done by link workers based in primary care.",
        ("signposting", "loneliness", "wider-determinants"),
    ),
    (
        "health-inequalities",
        "Health inequalities",
        "Unfair and avoidable differences in health between groups of people, for example "
        "between more and less deprived areas, or between ethnic groups. They show up in life "
        "expectancy, illness and access to care.",
        ("wider-determinants", "core20plus5", "imd"),
    ),
    (
        "core20plus5",
        "Core20PLUS5",
        "NHS England's approach to reducing healthcare inequalities. 'Core20' is the most "
        "deprived 20% of the national population; 'PLUS' is other groups a local system "
        "chooses, such as people experiencing homelessness; '5' is five clinical areas needing "
        "faster improvement (for adults: maternity, severe mental illness, chronic respiratory "
        "disease, early cancer diagnosis and hypertension).",
        ("health-inequalities", "imd"),
    ),
    (
        "wider-determinants",
        "Wider determinants of health",
        "The social, economic and environmental conditions that shape health, such as income, "
        "work, housing, education, transport and the places people live. They have a bigger "
        "effect on health than health care does.",
        ("health-inequalities", "fuel-poverty"),
    ),
    (
        "imd",
        "Index of Multiple Deprivation (IMD)",
        "The official measure of relative deprivation for small areas in England. It combines "
        "income, employment, education, health, crime, housing and living environment, and "
        "ranks every small area from most to least deprived.",
        ("core20plus5", "health-inequalities"),
    ),
    (
        "behaviour-change",
        "Behaviour change",
        "Helping people to start, stop or change something they do that affects their health, "
        "such as smoking, drinking, being active or eating well. Lasting change needs the "
        "person's own motivation and the right support.",
        ("com-b", "motivational-interviewing"),
    ),
    (
        "com-b",
        "COM-B model",
        "A model of behaviour which says that people need the capability, the opportunity and "
        "the motivation to change what they do. It is used to plan interventions and training.",
        ("behaviour-change",),
    ),
    (
        "motivational-interviewing",
        "Motivational interviewing",
        "A way of talking with people that draws out their own reasons for change, using open "
        "questions, listening and reflecting back, rather than telling them what to do.",
        ("brief-intervention", "behaviour-change"),
    ),
    (
        "primary-prevention",
        "Primary prevention",
        "Stopping a disease or problem from happening in the first place, for example through "
        "vaccination, stopping smoking or being more active.",
        ("secondary-prevention", "tertiary-prevention"),
    ),
    (
        "secondary-prevention",
        "Secondary prevention",
        "Finding a disease or risk early, before it causes harm, so it can be treated, for "
        "example screening or checking blood pressure.",
        ("primary-prevention", "tertiary-prevention"),
    ),
    (
        "tertiary-prevention",
        "Tertiary prevention",
        "Reducing the impact of an illness someone already has, for example rehabilitation "
        "after a heart attack or support to manage diabetes well.",
        ("secondary-prevention", "long-term-condition"),
    ),
    (
        "population-health",
        "Population health",
        "An approach that aims to improve the physical and mental health of a whole population "
        "and reduce inequalities, by working across health care, public health, councils and "
        "communities.",
        ("health-inequalities", "integrated-care-system"),
    ),
    (
        "integrated-care-system",
        "Integrated care system (ICS)",
        "A partnership of the NHS, local councils, voluntary organisations and others in an "
        "area, who plan and join up health and care services together. There are 42 in "
        "England.",
        ("integrated-care-board",),
    ),
    (
        "integrated-care-board",
        "Integrated care board (ICB)",
        "The NHS body in an integrated care system that plans and pays for most NHS services "
        "for its population.",
        ("integrated-care-system",),
    ),
    (
        "health-and-wellbeing-board",
        "Health and wellbeing board",
        "A committee of each upper-tier council that brings together councillors, the NHS, "
        "public health, social care and Healthwatch to improve the health of local people.",
        ("jsna",),
    ),
    (
        "jsna",
        "Joint strategic needs assessment (JSNA)",
        "A local assessment of the current and future health and care needs of the population, "
        "produced by the council and the NHS to guide planning and commissioning.",
        ("health-and-wellbeing-board",),
    ),
    (
        "health-literacy",
        "Health literacy",
        "How well people can find, understand and use information about health and services. "
        "Many adults find standard health information hard to use, so plain language matters.",
        ("health-inequalities",),
    ),
    (
        "life-expectancy",
        "Life expectancy",
        "The average number of years a person would expect to live, based on death rates in "
        "an area at the time.",
        ("healthy-life-expectancy",),
    ),
    (
        "healthy-life-expectancy",
        "Healthy life expectancy",
        "The average number of years a person would expect to live in good health. The gap "
        "between the most and least deprived areas is wider than for life expectancy.",
        ("life-expectancy", "health-inequalities"),
    ),
    (
        "long-term-condition",
        "Long-term condition",
        "A health condition that cannot currently be cured but can be managed with treatment "
        "and support, such as diabetes, asthma, arthritis or high blood pressure.",
        ("tertiary-prevention",),
    ),
    (
        "alcohol-unit",
        "Alcohol unit",
        "A measure of pure alcohol: one UK unit is 10 millilitres (8 grams). The UK Chief "
        "Medical Officers advise not regularly drinking more than 14 units a week, spread over "
        "3 or more days.",
        ("audit-c",),
    ),
    (
        "audit-c",
        "AUDIT-C",
        "A short alcohol screening tool with 3 questions about how often and how much someone "
        "drinks. It is the first part of the longer AUDIT questionnaire developed by the World "
        "Health Organization.",
        ("alcohol-unit", "brief-advice"),
    ),
    (
        "stop-smoking-service",
        "Stop smoking service",
        "Free local support to stop smoking, combining behavioural support with stop smoking "
        "medicines or vapes. People are up to 3 times as likely to quit with this support as "
        "on their own.",
        ("ask-advise-act",),
    ),
    (
        "physical-activity-guidelines",
        "Physical activity guidelines",
        "The UK Chief Medical Officers' advice for adults: at least 150 minutes of moderate "
        "activity, or 75 minutes of vigorous activity, a week, with strength activities on 2 "
        "days, and less time sitting still.",
        ("primary-prevention",),
    ),
    (
        "five-ways-to-wellbeing",
        "Five ways to wellbeing",
        "Five simple actions that evidence suggests improve mental wellbeing: connect, be "
        "active, take notice, keep learning and give.",
        ("mental-health-first-aid",),
    ),
    (
        "mental-health-first-aid",
        "Mental Health First Aid",
        "Training that teaches people to spot the signs of mental ill health, start a "
        "supportive conversation and guide a person towards help. It does not train people to "
        "be therapists.",
        ("five-ways-to-wellbeing",),
    ),
    (
        "dementia-awareness",
        "Dementia awareness",
        "Understanding what dementia is, how it affects people, and small things anyone can do "
        "to help people living with dementia feel included and supported.",
        ("loneliness",),
    ),
    (
        "loneliness",
        "Loneliness and social isolation",
        "Loneliness is the feeling of lacking the relationships you want; social isolation is "
        "having few social contacts. Both are linked to poorer physical and mental health.",
        ("social-prescribing", "dementia-awareness"),
    ),
    (
        "fuel-poverty",
        "Fuel poverty",
        "When a household cannot afford to keep its home warm enough without falling below "
        "a reasonable standard of living. Cold homes make heart and lung conditions worse.",
        ("wider-determinants",),
    ),
    (
        "kirkpatrick-model",
        "Kirkpatrick model",
        "A way of evaluating training at 4 levels: reaction (what learners thought of it), "
        "learning (what they gained), behaviour (what they do differently) and results (the "
        "difference it makes).",
        ("mecc",),
    ),
    (
        "disclosure-control",
        "Disclosure control",
        "Rules that stop published figures identifying individual people. In this portal, "
        "counts from 1 to 7 are shown as *, and larger counts are rounded to the nearest 5.",
        (),
    ),
]

# title, category, summary, audience, publisher, year
RESOURCES: list[tuple[str, str, str, str, str, int | None]] = [
    (
        "Making Every Contact Count (MECC): consensus statement",
        "consensus_statement",
        "The shared national statement of what MECC is, why it matters and what the NHS, "
        "public health and partner organisations commit to doing so that staff can use "
        "routine contacts to support healthier lives.",
        "Leaders, commissioners and anyone new to MECC",
        "Public Health England, NHS England and Health Education England",
        2016,
    ),
    (
        "Making Every Contact Count (MECC): implementation guide",
        "implementation_guide",
        "Practical steps for setting up MECC in an organisation or area: getting leaders on "
        "board, preparing the workforce, choosing training, linking to local services and "
        "keeping it going.",
        "Training leads, managers and commissioners",
        "Public Health England and Health Education England",
        2016,
    ),
    (
        "Making Every Contact Count (MECC): quality marker checklist for training resources",
        "quality_marker_checklist",
        "A checklist for judging whether a MECC training course or resource meets national "
        "quality markers, covering its content, how it is delivered and how it is evaluated. "
        "Use it with the quality-marker self-assessment in this portal.",
        "Training leads and trainers",
        "Public Health England and Health Education England",
        2016,
    ),
    (
        "Making Every Contact Count (MECC): evaluation framework",
        "evaluation_guide",
        "How to evaluate MECC, from the reach of training to learners' reactions, what they "
        "learned, whether they have more conversations and what difference it makes. The "
        "indicators in this portal follow it.",
        "Commissioners, training leads and evaluators",
        "Public Health England and Health Education England",
        2016,
    ),
    (
        "Making Every Contact Count e-learning",
        "e_learning",
        "Free national e-learning that introduces MECC and very brief advice, for staff who "
        "cannot attend a face-to-face course or want a refresher.",
        "Anyone who talks to the public as part of their job",
        "Health Education England",
        None,
    ),
]
