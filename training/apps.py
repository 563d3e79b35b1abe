from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from accounts.access import Permission
        from accounts.navigation import Entry, register_action, register_nav
        from training.services import bookings  # noqa: F401 - registers its outbox renderer

        register_nav(Entry("Training", "training:catalogue", Permission.BOOK_TRAINING))
        for entry in (
            Entry(
                "Find and book training",
                "training:catalogue",
                Permission.BOOK_TRAINING,
                "MECC, Mental Health First Aid and Dementia Awareness courses near you.",
            ),
            Entry(
                "My training",
                "training:my_training",
                Permission.BOOK_TRAINING,
                "Your bookings, certificates and refreshers due.",
            ),
            Entry(
                "Your sessions",
                "training:sessions_manage",
                Permission.RUN_SESSIONS,
                "Create sessions, see who is booked and take the register.",
            ),
            Entry(
                "Your courses",
                "training:courses_manage",
                Permission.MANAGE_TRAINING,
                "Add your organisation's courses to the catalogue and keep them up to date.",
            ),
            Entry(
                "Staff training compliance",
                "training:compliance",
                Permission.MANAGE_STAFF,
                "Who in your organisation is trained, expiring or never trained; export it.",
            ),
            Entry(
                "Quality marker",
                "training:quality_list",
                Permission.MANAGE_TRAINING,
                "Self-assess your courses against the MECC training quality marker.",
            ),
            Entry(
                "Trainers and the cascade",
                "training:trainers",
                Permission.MANAGE_TRAINING,
                "Who trained your trainers, and the sessions and people each has reached.",
            ),
            Entry(
                "Import completions",
                "training:import_upload",
                Permission.MANAGE_TRAINING,
                "Bring in past training records from a learning system's CSV export.",
            ),
            Entry(
                "Training quality marker returns",
                "training:quality_list",
                Permission.VIEW_DASHBOARDS,
                "Read the quality-marker self-assessments submitted in your area.",
            ),
        ):
            register_action(entry)
