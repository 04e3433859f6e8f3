"""The item bank: standard questions on confidence and safety, worded as the national surveys
word them (operating-model reference §3.7), so that a force's answers can be set beside the
Crime Survey for England and Wales and beside its own earlier waves.

``source`` says where each wording comes from and how sure we are of it; staff see it when they
choose a question. Codes are fixed: a question made from the bank keeps the bank's code.
"""

from __future__ import annotations

from dataclasses import dataclass

AGREE_SCALE: tuple[tuple[str, str, bool], ...] = (
    ("strongly-agree", "Strongly agree", True),
    ("tend-to-agree", "Tend to agree", True),
    ("neither", "Neither agree nor disagree", False),
    ("tend-to-disagree", "Tend to disagree", False),
    ("strongly-disagree", "Strongly disagree", False),
    ("dont-know", "Don't know", False),
)

CSEW_BATTERY = (
    "The Crime Survey for England and Wales statement battery, as commonly cited; check the "
    "wording against the CSEW questionnaire before comparing with it."
)


@dataclass(frozen=True)
class BankItem:
    key: str
    text: str
    kind: str
    options: tuple[tuple[str, str, bool], ...]
    headline: str
    source: str
    hint: str = ""
    rank_limit: int = 3


BANK: tuple[BankItem, ...] = (
    BankItem(
        key="dealing-with-what-matters",
        text=(
            "How much would you agree or disagree that the police and local council are dealing "
            "with the anti-social behaviour and crime issues that matter in this area?"
        ),
        kind="scale",
        options=AGREE_SCALE,
        headline="agree the police and council are dealing with the issues that matter here",
        source="The single confidence measure (PSA23, 2008 to 2010), from the CSEW.",
    ),
    BankItem(
        key="overall-confidence",
        text="Taking everything into account, I have confidence in the police in this area.",
        kind="scale",
        options=AGREE_SCALE,
        headline="have confidence in the police in this area",
        source=CSEW_BATTERY,
    ),
    BankItem(
        key="good-job",
        text=(
            "Taking everything into account, how good a job do you think the police in this "
            "area are doing?"
        ),
        kind="scale",
        options=(
            ("excellent", "Excellent", True),
            ("good", "Good", True),
            ("fair", "Fair", False),
            ("poor", "Poor", False),
            ("very-poor", "Very poor", False),
            ("dont-know", "Don't know", False),
        ),
        headline="think the police in this area do a good or excellent job",
        source="ONS bulletins on the CSEW: how good a job the police in this area are doing.",
    ),
    BankItem(
        key="safe-after-dark",
        text="How safe do you feel walking alone in this area after dark?",
        kind="scale",
        options=(
            ("very-safe", "Very safe", True),
            ("fairly-safe", "Fairly safe", True),
            ("a-bit-unsafe", "A bit unsafe", False),
            ("very-unsafe", "Very unsafe", False),
            ("never-out", "I never walk alone after dark", False),
            ("dont-know", "Don't know", False),
        ),
        headline="feel safe walking alone in this area after dark",
        source="The CSEW's fear of crime question; close variants in other national surveys.",
    ),
    BankItem(
        key="seen-or-heard",
        text=(
            "In the last 12 months, have you seen or heard anything about what the police are "
            "doing to tackle crime and anti-social behaviour in your area?"
        ),
        kind="single",
        options=(
            ("yes", "Yes", True),
            ("no", "No", False),
            ("dont-know", "Don't know", False),
        ),
        headline="have seen or heard what the police are doing about crime and anti-social "
        "behaviour here",
        source="The Neighbourhood Policing Guarantee's headline measure (2025), from the CSEW.",
    ),
    BankItem(
        key="relied-on",
        text="The police in this area can be relied on to be there when you need them.",
        kind="scale",
        options=AGREE_SCALE,
        headline="agree the police here can be relied on to be there when needed",
        source=CSEW_BATTERY,
    ),
    BankItem(
        key="treat-fairly",
        text="The police in this area treat everyone fairly regardless of who they are.",
        kind="scale",
        options=AGREE_SCALE,
        headline="agree the police here treat everyone fairly",
        source=CSEW_BATTERY,
    ),
    BankItem(
        key="understand-issues",
        text="The police in this area understand the issues that affect this community.",
        kind="scale",
        options=AGREE_SCALE,
        headline="agree the police here understand the issues that affect this community",
        source=CSEW_BATTERY,
    ),
    BankItem(
        key="well-informed",
        text="How well informed do you feel about what the police are doing in your area?",
        kind="scale",
        options=(
            ("very-well", "Very well informed", True),
            ("fairly-well", "Fairly well informed", True),
            ("not-very-well", "Not very well informed", False),
            ("not-at-all", "Not at all informed", False),
            ("dont-know", "Don't know", False),
        ),
        headline="feel well informed about what the police are doing here",
        source="MOPAC's Public Attitude Survey: well informed about local police activity.",
    ),
    BankItem(
        key="foot-patrol",
        text="How often do you see police officers or PCSOs on foot patrol in this area?",
        kind="single",
        options=(
            ("daily", "At least once a day", True),
            ("weekly", "At least once a week", True),
            ("monthly", "At least once a month", False),
            ("less-often", "Less often than once a month", False),
            ("never", "Never", False),
        ),
        headline="see officers or PCSOs on foot patrol at least once a week",
        source="ONS bulletins on the CSEW: how often officers or PCSOs are seen on foot patrol.",
    ),
    BankItem(
        key="know-contact",
        text="Do you know how to contact your local neighbourhood policing team?",
        kind="single",
        options=(("yes", "Yes", True), ("no", "No", False)),
        headline="know how to contact their neighbourhood policing team",
        source="MOPAC's Public Attitude Survey: know how to contact the ward officer.",
    ),
    BankItem(
        key="priorities",
        text=(
            "Which of these should the police and council tackle first in your area? Choose up "
            "to three, the most important first."
        ),
        kind="rank",
        options=(
            ("asb", "Anti-social behaviour", False),
            ("drugs", "Drug dealing and drug use", False),
            ("burglary", "Burglary", False),
            ("vehicle-crime", "Vehicle crime", False),
            ("speeding", "Speeding and dangerous driving", False),
            ("violence", "Violence", False),
            ("knife-crime", "Knife crime", False),
            ("shoplifting", "Shoplifting", False),
            ("criminal-damage", "Criminal damage and graffiti", False),
            ("fly-tipping", "Fly-tipping and litter", False),
        ),
        headline="",
        source="Forces' perception surveys ask residents what the police's priorities should be.",
        rank_limit=3,
    ),
)

BANK_BY_KEY: dict[str, BankItem] = {item.key: item for item in BANK}
