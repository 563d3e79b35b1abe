from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from accounts.access import Permission
        from accounts.navigation import Entry, register_action, register_nav

        # Returns and workforce numbers (training leads), the returns summary (commissioners),
        # and the resources library and glossary for everyone (public pages).
        register_nav(Entry("Resources", "evaluation:resources"))
        for entry in (
            Entry(
                "Submit your organisation's return",
                "evaluation:returns",
                Permission.MANAGE_STAFF,
                "What you deliver, your resources now and next year, plans and joint working.",
            ),
            Entry(
                "Workforce numbers",
                "evaluation:workforce",
                Permission.MANAGE_STAFF,
                "How many people work in each staff group, so reach can be measured.",
            ),
            Entry(
                "Organisation returns",
                "evaluation:returns_summary",
                Permission.VIEW_DASHBOARDS,
                "Who has submitted their return, and their key figures side by side.",
            ),
        ):
            register_action(entry)

        # Surveys: every learner may have some; trainers see their sessions' results.
        for entry in (
            Entry(
                "Your surveys",
                "evaluation:my_surveys",
                Permission.BOOK_TRAINING,
                "Short surveys about training you have booked or done.",
            ),
            Entry(
                "Evaluation results",
                "evaluation:session_results_list",
                Permission.RUN_SESSIONS,
                "What learners said about your sessions, before and after.",
            ),
        ):
            register_action(entry)

        # Commissioners: the dashboard, the benchmark of the boroughs, and reports.
        register_nav(Entry("Dashboard", "evaluation:dashboard", Permission.VIEW_DASHBOARDS))
        for entry in (
            Entry(
                "Dashboard",
                "evaluation:dashboard",
                Permission.VIEW_DASHBOARDS,
                "Conversations, referrals and training by borough, organisation and month.",
            ),
            Entry(
                "Benchmark the boroughs",
                "evaluation:benchmark",
                Permission.VIEW_DASHBOARDS,
                "The five boroughs side by side against the agreed standards.",
            ),
            Entry(
                "Reports",
                "evaluation:reports",
                Permission.VIEW_DASHBOARDS,
                "Your monthly commissioner pack and reports you have asked for.",
            ),
        ):
            register_action(entry)
