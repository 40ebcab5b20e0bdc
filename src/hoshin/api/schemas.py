"""Request and response bodies, one model per use: Create (what a client may send to make a
record), Update (every field optional: only those sent change) and Public (what is sent back).

Limits here are the first line of defence (lengths, ranges, allowed values); the store's own
validation (references, cycles) runs behind them on every write.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hoshin.service.records import NUL_PROBLEM, holds_nul

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^;\s][^;]*$")]
Name = Annotated[str, Field(min_length=1, max_length=300)]
Short = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(min_length=1, max_length=20_000)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-03-14"])]
Role = Literal["admin", "strategist", "unit_manager", "contributor", "viewer"]
IdeaStatus = Literal["new", "triaged", "under_review", "accepted", "rejected", "parked"]
IdeaSource = Literal["employee", "customer", "partner", "research", "hackathon"]
Channel = Literal["web", "press", "ad", "job_post", "review", "press_outside", "social"]
TierName = Literal["core", "adjacent", "off"]


class _In(BaseModel):
    # NaN and Infinity are no numbers a goal or check-in can hold (SQLite stored null or refused
    # with its own text, PostgreSQL failed): refused here, naming the field.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """No text of a request may hold a NUL character: PostgreSQL cannot store one."""
        if holds_nul(value):
            raise ValueError(NUL_PROBLEM)
        return value


RequestModel = _In  # the base of a request body declared beside its feature's routes


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---- organisation and mission -------------------------------------------------------------------


class OrganisationPublic(_Out):
    id: str
    name: str
    created_at: str | None = None


class MissionCreate(_In):
    text: LongText
    focus_areas: list[Annotated[str, Field(min_length=1, max_length=2_000)]] = Field(
        default_factory=list, max_length=100
    )
    exclusions: list[Annotated[str, Field(min_length=1, max_length=2_000)]] = Field(
        default_factory=list, max_length=100
    )
    principles: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    brand_attributes: list[dict[str, Any]] = Field(default_factory=list, max_length=100)


class MissionPublic(_Out):
    version: int
    text: str
    focus_areas: list[str] = []
    exclusions: list[str] = []
    themes: list[Any] = []
    # The generation of the theme rules the themes were derived under; 0: given by people; null:
    # not known or no themes stored.
    theme_rules: int | None = None
    principles: list[Any] = []
    brand_attributes: list[Any] = []
    created_at: str
    created_by: str


# ---- units and people ---------------------------------------------------------------------------


class UnitCreate(_In):
    id: Id
    name: Name
    parent_id: Id | None = None
    description: Annotated[str, Field(max_length=20_000)] | None = None


class UnitUpdate(_In):
    name: Name | None = None
    parent_id: Id | None = None
    description: Annotated[str, Field(max_length=20_000)] | None = None


class UnitPublic(_Out):
    id: str
    name: str
    parent_id: str | None = None
    description: str | None = None


class PersonCreate(_In):
    id: Id
    name: Name
    unit_id: Id | None = None
    email: Short | None = None
    title: Short | None = None
    profile: Annotated[str, Field(max_length=20_000)] | None = None


class PersonUpdate(_In):
    name: Name | None = None
    unit_id: Id | None = None
    email: Short | None = None
    title: Short | None = None
    profile: Annotated[str, Field(max_length=20_000)] | None = None


class PersonPublic(_Out):
    id: str
    name: str
    unit_id: str | None = None
    email: str | None = None
    title: str | None = None
    profile: str | None = None


# ---- goals and check-ins ------------------------------------------------------------------------


class GoalCreate(_In):
    id: Id
    text: LongText
    unit_id: Id | None = None
    level: Annotated[int, Field(ge=1, le=3)]
    parent_ids: list[Id] = Field(default_factory=list, max_length=50)
    owner_id: Id | None = None
    period: Short | None = None
    metric: Short | None = None
    start: float | None = None
    target: float | None = None
    current: float | None = None


class GoalUpdate(_In):
    text: LongText | None = None
    unit_id: Id | None = None
    level: Annotated[int, Field(ge=1, le=3)] | None = None
    parent_ids: list[Id] | None = Field(default=None, max_length=50)
    owner_id: Id | None = None
    period: Short | None = None
    metric: Short | None = None
    start: float | None = None
    target: float | None = None
    current: float | None = None


class GoalPublic(_Out):
    id: str
    text: str
    unit_id: str | None = None
    level: int
    parent_ids: list[str] = []
    owner_id: str | None = None
    period: str | None = None
    metric: str | None = None
    start: float | None = None
    target: float | None = None
    current: float | None = None


class CheckinCreate(_In):
    date: Day
    value: float
    note: Annotated[str, Field(max_length=2_000)] | None = None


class CheckinPublic(_Out):
    id: int
    goal_id: str
    date: str
    value: float
    note: str | None = None


# ---- ideas --------------------------------------------------------------------------------------


class IdeaCreate(_In):
    id: Id
    text: LongText
    source: IdeaSource | None = None
    author_id: Id | None = None
    unit_id: Id | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=30
    )
    links: list[Annotated[str, Field(min_length=1, max_length=2_000)]] = Field(
        default_factory=list, max_length=30
    )
    submitted_at: Day | None = None


class IdeaUpdate(_In):
    text: LongText | None = None
    source: IdeaSource | None = None
    author_id: Id | None = None
    unit_id: Id | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None, max_length=30
    )
    links: list[Annotated[str, Field(min_length=1, max_length=2_000)]] | None = Field(
        default=None, max_length=30
    )


class IdeaStatusChange(_In):
    status: IdeaStatus
    override_tier: TierName | None = None
    override_reason: Annotated[str, Field(max_length=2_000)] | None = None


class IdeaPublic(_Out):
    id: str
    text: str
    source: str | None = None
    author_id: str | None = None
    unit_id: str | None = None
    tags: list[str] = []
    links: list[str] = []
    status: str
    override_tier: str | None = None
    override_reason: str | None = None
    reviewer: str | None = None
    duplicate_group: str | None = None
    submitted_at: str | None = None


# ---- knowledge, documents, communications --------------------------------------------------------


class KnowledgeAreaCreate(_In):
    id: Id
    name: Name
    description: Annotated[str, Field(max_length=20_000)] | None = None
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0


class KnowledgeAreaUpdate(_In):
    name: Name | None = None
    description: Annotated[str, Field(max_length=20_000)] | None = None
    weight: Annotated[float, Field(ge=0, le=100)] | None = None


class KnowledgeAreaPublic(_Out):
    id: str
    name: str
    description: str | None = None
    weight: float
    origin: str


class DocumentCreate(_In):
    id: Id
    title: Name
    text: LongText
    area_ids: list[Id] = Field(default_factory=list, max_length=50)


class DocumentUpdate(_In):
    title: Name | None = None
    text: LongText | None = None
    area_ids: list[Id] | None = Field(default=None, max_length=50)


class DocumentPublic(_Out):
    id: str
    title: str
    text: str
    area_ids: list[str] = []


class CommunicationCreate(_In):
    id: Id
    title: Short | None = None
    text: LongText
    channel: Channel | None = None
    voice: Literal["internal", "outside"] = "internal"
    date: Day | None = None


class CommunicationUpdate(_In):
    title: Short | None = None
    text: LongText | None = None
    channel: Channel | None = None
    voice: Literal["internal", "outside"] | None = None
    date: Day | None = None


class CommunicationPublic(_Out):
    id: str
    title: str | None = None
    text: str
    channel: str | None = None
    voice: str
    date: str | None = None


# ---- users, tokens, audit, import ---------------------------------------------------------------


class UserCreate(_In):
    username: Id
    password: Annotated[str, Field(min_length=8, max_length=1024)]
    role: Role
    unit_id: Id | None = None
    person_id: Id | None = None


class UserUpdate(_In):
    password: Annotated[str, Field(min_length=8, max_length=1024)] | None = None
    role: Role | None = None
    unit_id: Id | None = None
    person_id: Id | None = None
    active: bool | None = None


class UserPublic(_Out):
    username: str
    role: str
    unit_id: str | None = None
    person_id: str | None = None
    active: bool


class TokenPublic(_Out):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in_s: int


class AuditEventPublic(_Out):
    at: str
    username: str
    action: str
    record_kind: str | None = None
    record_id: str | None = None
    detail: dict[str, Any] = {}


class ImportResultPublic(_Out):
    kind: str
    created: int
    updated: int
