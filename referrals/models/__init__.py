"""Referrals models, split by area of the app (directory; conversations and referrals)."""

from referrals.models.activity import (
    AgeBand,
    Conversation,
    ConversationSetting,
    EthnicGroup,
    MeccLevel,
    Outcome,
    Referral,
    ReferralStatusChange,
    Sex,
)
from referrals.models.directory import (
    Contact,
    CostOption,
    ListingProblemReport,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    Topic,
)

__all__ = [
    "AgeBand",
    "Contact",
    "Conversation",
    "ConversationSetting",
    "CostOption",
    "EthnicGroup",
    "ListingProblemReport",
    "Location",
    "MeccLevel",
    "Outcome",
    "Phone",
    "Referral",
    "ReferralStatusChange",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "ServiceLanguage",
    "Sex",
    "Taxonomy",
    "Topic",
]
