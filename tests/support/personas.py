"""Answer sets written from a role's target profile."""

from __future__ import annotations

from quiz.model import Bank


def persona_answers(bank: Bank, role_id: str) -> dict[str, int]:
    """The answers of someone whose profile is the role's target profile: on each item, the
    scale point nearest the role's target level (1 + target/25), flipped on reverse-keyed items
    (agreeing with "I would rather just use an app than learn how it is built" lowers `tech`)."""
    role = bank.role(role_id)
    answers = {}
    for question in bank.questions:
        point = round(1 + role.target(question.dimension).level / 25)
        answers[question.id] = point if question.keyed > 0 else 6 - point
    return answers
