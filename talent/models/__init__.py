"""Models of talent: people behind patents, their links, PIPL controls, and the
programme's talent services (supply directory, training, talent projects)."""

from .people import (
    ConsentRecord,
    Objection,
    ProfileAccess,
    Talent,
    TalentConstraint,
    TalentLink,
)
from .services import (
    Course,
    Enrollment,
    SupplyItem,
    TalentProject,
    TalentProjectStep,
    Trainee,
    TrainingSession,
)

__all__ = [
    "ConsentRecord",
    "Course",
    "Enrollment",
    "Objection",
    "ProfileAccess",
    "SupplyItem",
    "Talent",
    "TalentConstraint",
    "TalentLink",
    "TalentProject",
    "TalentProjectStep",
    "Trainee",
    "TrainingSession",
]
