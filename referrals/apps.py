from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from accounts.access import Permission
        from accounts.navigation import Entry, register_action, register_nav

        # The directory is for every signed-in user, whatever their role.
        register_nav(Entry("Find a service", "referrals:directory_search"))
        register_nav(
            Entry("Log a conversation", "referrals:conversation_log", Permission.LOG_CONVERSATION)
        )
        register_nav(
            Entry("Referrals", "referrals:referral_inbox", Permission.RESPOND_TO_REFERRALS)
        )
        for entry in (
            Entry(
                "Log a conversation",
                "referrals:conversation_log",
                Permission.LOG_CONVERSATION,
                "Record a brief-advice conversation in a few taps, and signpost or refer.",
            ),
            Entry(
                "My conversations",
                "referrals:conversation_list",
                Permission.LOG_CONVERSATION,
                "The conversations you have logged. You can correct one for 24 hours.",
            ),
            Entry(
                "My impact",
                "referrals:my_impact",
                Permission.LOG_CONVERSATION,
                "Your conversations over time, and what happened to your referrals.",
            ),
            Entry(
                "Referral inbox",
                "referrals:referral_inbox",
                Permission.RESPOND_TO_REFERRALS,
                "Accept or decline referrals to your services and record what happened.",
            ),
            Entry(
                "Your organisation's conversations",
                "referrals:organisation_conversations",
                Permission.MANAGE_STAFF,
                "Conversations your organisation's staff have logged.",
            ),
        ):
            register_action(entry)
        for entry in (
            Entry(
                "Find a service",
                "referrals:directory_search",
                Permission.LOG_CONVERSATION,
                "Local services to signpost or refer residents to, by topic and distance.",
            ),
            Entry(
                "Your service listings",
                "referrals:my_listings",
                Permission.MANAGE_LISTINGS,
                "Keep your directory listings up to date and confirm they are still correct.",
            ),
            Entry(
                "Import services",
                "referrals:directory_import",
                Permission.ADMINISTER,
                "Add or update directory listings from an Open Referral UK file.",
            ),
            Entry(
                "Prevention topics",
                "referrals:topic_list",
                Permission.MANAGE_TOPICS,
                "Add topics staff can record in conversations, with their codes.",
            ),
        ):
            register_action(entry)
